namespace MailSync.UnitTests.Architecture;

/// <summary>
/// The house rules of README's Architecture section, checked on the compiled code: no namespace loops, the API on
/// contracts only, and one direction inside the grains.
/// </summary>
public sealed class DependencyRuleTests
{
    /// <summary>Inside the Grains assembly a namespace may use only namespaces of a lower rank.</summary>
    private static readonly Dictionary<string, int> GrainRanks = new(StringComparer.Ordinal)
    {
        ["MailSync.Grains.Hosting"] = 6,
        ["MailSync.Grains.Mailboxes"] = 5,
        ["MailSync.Grains.Companies"] = 5,
        ["MailSync.Grains.Health"] = 5,
        ["MailSync.Grains.Sync"] = 4,
        ["MailSync.Grains.Scheduling"] = 4,
        ["MailSync.Grains.Webhooks"] = 4,
        ["MailSync.Grains.NeverLog"] = 3,
        ["MailSync.Grains.Auth"] = 2,
        ["MailSync.Grains.Timeline"] = 2,
        ["MailSync.Grains.Leads"] = 2,
        ["MailSync.Grains.Directory"] = 2,
        ["MailSync.Grains.Storage"] = 1,
    };

    [Fact]
    public void The_graph_is_read_from_every_assembly()
    {
        // Guards the other tests against passing on an empty graph.
        Assert.Contains("MailSync.Grains.Mailboxes", NamespaceDependencies.All.Keys);
        Assert.Contains("MailSync.Grains.Sync", NamespaceDependencies.All["MailSync.Grains.Mailboxes"]);
        Assert.Contains("MailSync.Shared.Cluster", NamespaceDependencies.All.Keys);
        Assert.Contains("MailSync.Api.Mailboxes", NamespaceDependencies.All.Keys);
    }

    [Fact]
    public void No_namespace_reaches_itself_through_others()
    {
        var loops = StronglyConnected(NamespaceDependencies.All).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order()));
        Assert.Empty(loops);
    }

    [Fact]
    public void Every_grains_namespace_has_a_rank()
    {
        var unranked = NamespaceDependencies.All.Keys.Where(n => n.StartsWith("MailSync.Grains.", StringComparison.Ordinal)
            && !n.StartsWith("MailSync.Grains.Interfaces", StringComparison.Ordinal) && !GrainRanks.ContainsKey(n));
        Assert.Empty(unranked);
    }

    [Fact]
    public void Grains_depend_one_way_hosting_then_mailboxes_and_companies_then_sync_then_never_log_then_timeline_leads_auth_directory_then_storage()
    {
        var violations =
            from pair in NamespaceDependencies.All
            where GrainRanks.ContainsKey(pair.Key)
            from used in pair.Value
            where GrainRanks.TryGetValue(used, out var rank) && rank >= GrainRanks[pair.Key]
            select $"{pair.Key} -> {used}";
        Assert.Empty(violations);
    }

    [Fact]
    public void The_api_sees_only_contracts_and_shared_except_where_it_cohosts_a_silo()
    {
        var violations =
            from pair in NamespaceDependencies.All
            where pair.Key.StartsWith("MailSync.Api", StringComparison.Ordinal)
            from used in pair.Value
            where !Allowed(used) && !(pair.Key == "MailSync.Api.Hosting" && used == "MailSync.Grains.Hosting")
            select $"{pair.Key} -> {used}";
        Assert.Empty(violations);

        static bool Allowed(string ns) =>
            ns.StartsWith("MailSync.Api", StringComparison.Ordinal) || ns.StartsWith("MailSync.Grains.Interfaces", StringComparison.Ordinal)
            || ns.StartsWith("MailSync.Shared", StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_and_contracts_never_use_grain_implementations_or_the_api()
    {
        var violations =
            from pair in NamespaceDependencies.All
            where pair.Key.StartsWith("MailSync.Shared", StringComparison.Ordinal) || pair.Key.StartsWith("MailSync.Grains.Interfaces", StringComparison.Ordinal)
            from used in pair.Value
            where used.StartsWith("MailSync.Api", StringComparison.Ordinal)
                  || (used.StartsWith("MailSync.Grains.", StringComparison.Ordinal) && !used.StartsWith("MailSync.Grains.Interfaces", StringComparison.Ordinal))
                  || (pair.Key.StartsWith("MailSync.Grains.Interfaces", StringComparison.Ordinal) && used.StartsWith("MailSync.Shared", StringComparison.Ordinal))
            select $"{pair.Key} -> {used}";
        Assert.Empty(violations);
    }

    [Fact]
    public void A_loop_is_found_when_there_is_one()
    {
        var graph = new Dictionary<string, IReadOnlySet<string>>
        {
            ["a"] = new HashSet<string> { "b" }, ["b"] = new HashSet<string> { "c" }, ["c"] = new HashSet<string> { "a" }, ["d"] = new HashSet<string> { "a" },
        };
        var loop = Assert.Single(StronglyConnected(graph), c => c.Count > 1);
        Assert.Equal(["a", "b", "c"], loop.Order());
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? new HashSet<string>())
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }
            if (low[node] != index[node]) return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            } while (member != node);
            components.Add(component);
        }

        foreach (var node in graph.Keys) if (!index.ContainsKey(node)) Visit(node);
        return components;
    }
}
