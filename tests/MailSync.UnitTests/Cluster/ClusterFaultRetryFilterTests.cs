using MailSync.Api.Errors;
using MailSync.Api.Hosting;
using MailSync.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSync.UnitTests.Cluster;

/// <summary>While the cluster heals, API requests neither fail when they may be repeated nor wait on a dead gateway.</summary>
public sealed class ClusterFaultRetryFilterTests
{
    private readonly GatewayLossSignal gatewayLoss = new();

    private ClusterFaultRetryFilter Filter => new(gatewayLoss, NullLogger<ClusterFaultRetryFilter>.Instance);

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task A_repeatable_request_meeting_silo_faults_is_answered_once_the_cluster_answers(string method)
    {
        var calls = 0;
        var answer = await Filter.InvokeAsync(Context(method), _ =>
            ++calls <= 2 ? throw new SiloUnavailableException("silo gone") : ValueTask.FromResult<object?>("answer"));

        Assert.Equal(("answer", 3), (answer, calls));
    }

    [Fact]
    public async Task A_POST_meeting_a_silo_fault_is_not_repeated_and_the_fault_becomes_the_503()
    {
        var calls = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(async () => await Filter.InvokeAsync(Context("POST"), _ =>
        {
            calls++;
            throw new SiloUnavailableException("silo gone");
        }));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_GET_waiting_on_a_gateway_that_is_lost_runs_again_through_the_others_at_once()
    {
        var stuck = new TaskCompletionSource<object?>();
        var calls = 0;
        var request = Filter.InvokeAsync(Context("GET"), _ => ++calls == 1 ? new ValueTask<object?>(stuck.Task) : ValueTask.FromResult<object?>("answer")).AsTask();
        await Poll.UntilAsync(() => Task.FromResult(calls), n => n == 1, TimeSpan.FromSeconds(10), "first call sent");

        gatewayLoss.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);

        Assert.Equal("answer", await request.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_POST_waiting_on_a_gateway_that_is_lost_answers_503_at_once_instead_of_after_the_call_timeout()
    {
        var stuck = new TaskCompletionSource<object?>();
        var request = Filter.InvokeAsync(Context("POST"), _ => new ValueTask<object?>(stuck.Task)).AsTask();

        gatewayLoss.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);

        var fault = await Assert.ThrowsAsync<TimeoutException>(() => request.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(MailSync.Shared.Cluster.TransientFaults.Is(fault));
    }

    private static EndpointFilterInvocationContext Context(string method) =>
        new DefaultEndpointFilterInvocationContext(new DefaultHttpContext { Request = { Method = method } });
}
