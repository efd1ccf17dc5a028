using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Shared.Diagnostics;
using MailSync.Testing;
using Microsoft.Extensions.Logging;

namespace MailSync.IntegrationTests.Diagnostics;

/// <summary>
/// One connect is one trace an operator can follow: the API request, the grain calls it makes, the sync pass the mailbox
/// runs for it on its timer, the IMAP session and the timeline write, all under the request's trace id. The API runs on
/// Kestrel with its co-hosted silo on Azurite and syncs a Dovecot mailbox holding an email with a lead.
/// </summary>
[Trait("Category", "Servers")]
public sealed class ConnectTraceTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Activity> finished = new();
    private readonly ActivityListener listener;
    private readonly ApiFixture api = new()
    {
        ExtraSettings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = TestServices.Current.TablesConnectionString,
            ["Orleans:ServiceId"] = $"svc-{Guid.NewGuid():N}",
            ["Orleans:ClusterId"] = $"cl-{Guid.NewGuid():N}",
        },
        ExtraLogging = logging => logging.AddProvider(Scoped),
    };

    private static readonly ScopeRecordingLoggerProvider Scoped = new();

    public ConnectTraceTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("MailSync.", StringComparison.Ordinal)
                || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
                || source.Name is MailSyncActivities.AspNetCoreSourceName or "System.Net.Http" or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = finished.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    private const string TestSourceName = "MailSync.Tests.Consumer";
    private static readonly ActivitySource Consumer = new(TestSourceName);

    public Task InitializeAsync() => api.InitializeAsync();

    public async Task DisposeAsync()
    {
        listener.Dispose();
        await api.DisposeAsync();
    }

    [Fact]
    public async Task One_connect_produces_one_trace_from_the_API_request_through_grain_calls_sync_pass_and_IMAP_to_the_timeline_write()
    {
        var company = await api.NewCompanyAsync();
        var admin = ApiFixture.Token(company, "ann", "Administrator");
        var (user, password) = Dovecot.CreateUser("trace");
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "Quote", DateTimeOffset.UtcNow.AddHours(-1)));
        var lead = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/leads/lee", admin, new { email = "lee@lead.example", name = "Lee" });
        Assert.Equal(HttpStatusCode.Created, lead.StatusCode);

        // The consumer's own span: its trace id travels in the request's traceparent header.
        ActivityTraceId trace;
        using (var call = Consumer.StartActivity("connect a mailbox", ActivityKind.Client)!)
        {
            trace = call.TraceId;
            var connect = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/ann/mailbox", admin,
                ConnectBodies.Custom(user, password, TestServices.Current.ImapsPort, email: Dovecot.Address(user)));
            Assert.Equal(HttpStatusCode.Accepted, connect.StatusCode);
        }

        var write = await Poll.UntilAsync(() => Task.FromResult(SpansOf(company)), spans => spans.Any(s => s.Source.Name == MailSyncActivities.StorageSourceName),
            TimeSpan.FromSeconds(30), "the timeline write of the first pass");

        var inTrace = finished.Where(a => a.TraceId == trace).ToList();
        var request = Assert.Single(inTrace, a => a.Source.Name == MailSyncActivities.AspNetCoreSourceName && a.Kind == ActivityKind.Server);
        // The grain calls' spans come from the Orleans sources the exporter subscribes to.
        Assert.Contains(inTrace, a => MailSyncActivities.OrleansSourceNames.Contains(a.Source.Name) && a.Kind == ActivityKind.Server);
        var pass = Assert.Single(inTrace, a => a.Source.Name == MailSyncActivities.PassSourceName);
        Assert.Equal(company, pass.GetTagItem("mailsync.company_id"));
        Assert.Contains(inTrace, a => a.Source.Name == MailSyncActivities.ImapSourceName && a.ParentSpanId == pass.SpanId);
        // Every span of this company's pass, IMAP session and writes is in the connect's trace: one trace, not several.
        Assert.All(write, span => Assert.Equal(trace, span.TraceId));
        Assert.True(IsUnder(pass, request.SpanId, inTrace), "the sync pass descends from the API request's span");
    }

    [Fact]
    public async Task The_log_lines_of_a_pass_carry_company_user_pass_id_and_the_trace_of_the_connect()
    {
        var company = await api.NewCompanyAsync();
        var admin = ApiFixture.Token(company, "ann", "Administrator");

        ActivityTraceId trace;
        using (var call = Consumer.StartActivity("connect a mailbox", ActivityKind.Client)!)
        {
            trace = call.TraceId;
            // Nobody listens on the port: the pass fails and says so in the log.
            var connect = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/ann/mailbox", admin, ConnectBodies.Custom("ann"));
            Assert.Equal(HttpStatusCode.Accepted, connect.StatusCode);
        }

        var failed = await Poll.UntilAsync(() => Task.FromResult(Scoped.Lines.Where(l => l.Message.Contains("failed with ConnectionRefused") && l.Scope.TryGetValue("CompanyId", out var c) && Equals(c, company)).ToList()),
            lines => lines.Count > 0, TimeSpan.FromSeconds(30), "the failed pass's log line");
        var line = failed[0];
        // The line is written inside the pass; its span is recorded when the pass ends.
        var passes = await Poll.UntilAsync(() => Task.FromResult(SpansOf(company).Where(a => a.Source.Name == MailSyncActivities.PassSourceName).ToList()),
            spans => spans.Count > 0, TimeSpan.FromSeconds(30), "the failed pass's span");
        var pass = Assert.Single(passes);
        Assert.Equal("ann", line.Scope["UserId"]);
        Assert.Equal(pass.SpanId.ToHexString(), line.Scope["PassId"]);
        Assert.Equal(trace.ToHexString(), line.Scope["TraceId"]?.ToString());
    }

    /// <summary>The pass spans of <paramref name="company"/> and everything under them.</summary>
    private List<Activity> SpansOf(string company)
    {
        var all = finished.ToList();
        var passes = all.Where(a => a.Source.Name == MailSyncActivities.PassSourceName && Equals(a.GetTagItem("mailsync.company_id"), company)).ToList();
        return [.. passes, .. all.Where(a => passes.Any(p => p != a && IsUnder(a, p.SpanId, all)))];
    }

    private static bool IsUnder(Activity span, ActivitySpanId ancestor, IReadOnlyList<Activity> all)
    {
        for (var parent = span.ParentSpanId; parent != default;)
        {
            if (parent == ancestor) return true;
            var next = all.FirstOrDefault(a => a.SpanId == parent);
            if (next is null) return false;
            parent = next.ParentSpanId;
        }
        return false;
    }
}

/// <summary>Records every log line with the values of the scopes around it (and the trace ids the host adds as a scope).</summary>
public sealed class ScopeRecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<(string Message, IReadOnlyDictionary<string, object?> Scope)> Lines { get; } = new();

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose()
    {
    }

    private sealed class Recorder(ScopeRecordingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>();
            provider.scopes.ForEachScope((scope, into) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs) into[key] = value;
                }
                else if (scope is IEnumerable<KeyValuePair<string, object>> plain)
                {
                    foreach (var (key, value) in plain) into[key] = value;
                }
            }, values);
            provider.Lines.Enqueue((formatter(state, exception), values));
        }
    }
}
