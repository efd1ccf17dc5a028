using System.Globalization;
using System.Reflection;
using Azure;
using MailSync.Shared.Cluster;
using Orleans.Storage;

namespace MailSync.UnitTests.Cluster;

public sealed class TransientFaultsTests
{
    /// <summary>Faults that pass on their own: the API answers them 503 with Retry-After, mailbox grains defer them.</summary>
    public static TheoryData<string> Transient() =>
    [
        "silo unavailable", "message rejected", "timeout", "inconsistent state",
        "storage unreachable (0)", "storage 408", "storage 429", "storage 500", "storage 503",
    ];

    /// <summary>Faults of the request or of our code: retrying would fail the same way.</summary>
    public static TheoryData<string> Lasting() =>
    [
        "argument", "invalid operation", "storage 400", "storage 404", "storage 409",
    ];

    private static Exception Fault(string name) => name switch
    {
        "silo unavailable" => new SiloUnavailableException("The target silo became unavailable."),
        "message rejected" => MessageRejected("Forwarding failed: the message was rejected."),
        "timeout" => new TimeoutException("Response did not arrive on time."),
        "inconsistent state" => new InconsistentStateException("The ETag changed underneath us.", "etag-stored", "etag-current"),
        "storage unreachable (0)" => new RequestFailedException(0, "No connection could be made."),
        "argument" => new ArgumentException("The continuation token is not valid.", "continuation"),
        "invalid operation" => new InvalidOperationException("A mailbox in status Pending cannot take this transition."),
        _ when name.StartsWith("storage ", StringComparison.Ordinal) => new RequestFailedException(int.Parse(name["storage ".Length..], CultureInfo.InvariantCulture), name),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>Orleans creates these itself (its constructors are internal), as the runtime would.</summary>
    private static OrleansMessageRejectionException MessageRejected(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException), BindingFlags.Instance | BindingFlags.NonPublic, null, [message], CultureInfo.InvariantCulture)!;

    [Theory]
    [MemberData(nameof(Transient))]
    public void A_platform_fault_that_passes_on_its_own_is_transient(string fault)
    {
        Assert.True(TransientFaults.Is(Fault(fault)));
    }

    [Theory]
    [MemberData(nameof(Transient))]
    public void A_transient_fault_is_found_as_the_inner_exception_at_any_depth(string fault)
    {
        var wrapped = new InvalidOperationException("Writing the company's rows failed.", Fault(fault));
        var deeper = new Exception("The grain call failed.", new AggregateException(wrapped));

        Assert.True(TransientFaults.Is(wrapped));
        Assert.True(TransientFaults.Is(deeper));
    }

    [Theory]
    [MemberData(nameof(Lasting))]
    public void A_fault_of_the_request_or_of_our_code_is_not_transient(string fault)
    {
        Assert.False(TransientFaults.Is(Fault(fault)));
    }

    [Theory]
    [MemberData(nameof(Lasting))]
    public void A_lasting_fault_wrapping_another_lasting_fault_is_not_transient(string fault)
    {
        Assert.False(TransientFaults.Is(new InvalidOperationException("The call failed.", Fault(fault))));
    }

    [Fact]
    public void No_exception_is_not_a_transient_fault()
    {
        Assert.False(TransientFaults.Is(null));
    }
}
