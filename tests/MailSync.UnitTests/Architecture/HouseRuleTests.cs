using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using MailSync.Api.Auth;
using MailSync.Shared.Configuration;
using MailSync.Testing;

namespace MailSync.UnitTests.Architecture;

/// <summary>
/// Rules on the sources and docs themselves: docs/configuration.md documents every setting there is (and none that is
/// not), product code keeps the .editorconfig line limit, and no code, test or doc names an issue number.
/// </summary>
public sealed partial class HouseRuleTests
{
    private const int MaxLineLength = 140;
    private static readonly string[] ProductFolders = ["Api", "Grains", "Grains.Interfaces", "Shared", "Silo"];

    /// <summary>Keys the hosts read without an options class of ours: the API's hosting mode, and Orleans' own options.</summary>
    private static readonly string[] KeysWithoutOptionsClass =
        ["Orleans:Mode", "Orleans:Membership", "Orleans:Membership:ProbeTimeout", "Orleans:Gateway:GatewayListRefreshPeriod"];

    [Fact]
    public void Every_setting_of_every_options_class_has_its_row_in_configuration_md()
    {
        var documented = DocumentedKeys();
        var settings = OptionsClasses().SelectMany(type => Keys(Section(type), type)).ToList();

        Assert.True(settings.Count > 60, $"only {settings.Count} settings found: the reflection missed options classes");
        var undocumented = settings.Where(key => !documented.Contains(key)).ToList();
        Assert.Empty(undocumented);
    }

    [Fact]
    public void Configuration_md_documents_no_setting_that_does_not_exist()
    {
        var settings = OptionsClasses().SelectMany(type => Keys(Section(type), type, sections: true)).ToHashSet(StringComparer.Ordinal);
        var sections = OptionsClasses().Select(Section).ToHashSet(StringComparer.Ordinal);

        var stale = DocumentedKeys().Where(key => sections.Contains(key.Split(':')[0]) && !settings.Contains(key) && !KeysWithoutOptionsClass.Contains(key));

        Assert.Empty(stale);
    }

    [Fact]
    public void Product_code_keeps_the_editorconfig_line_limit()
    {
        var tooLong = ProductFiles()
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => l.line.Length > MaxLineLength)
            .Select(l => $"{Path.GetRelativePath(RepositoryRoot.Path, l.file)}:{l.number} ({l.line.Length})");

        Assert.Empty(tooLong);
    }

    [Fact]
    public void No_code_test_or_doc_names_an_issue_number()
    {
        string[] folders = [.. ProductFolders, "tests", "bench", "scripts", "docs"];
        var files = folders.SelectMany(folder => Files(folder, "*.cs", "*.md", "*.sh", "*.js")).Append(RepositoryRoot.File("README.md"));

        var mentions = files
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => IssueNumber().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(RepositoryRoot.Path, l.file)}:{l.number}");

        Assert.Empty(mentions);
    }

    /// <summary>Backticked keys in the first column of configuration.md's tables, without a list index (<c>:&lt;n&gt;</c>).</summary>
    private static HashSet<string> DocumentedKeys()
    {
        var keys = File.ReadLines(RepositoryRoot.File("docs", "configuration.md"))
            .Select(line => DocumentedKey().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups["key"].Value);
        return keys.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every class with a <c>Section</c> constant in the Shared and Api assemblies: what the hosts bind.</summary>
    private static IEnumerable<Type> OptionsClasses() =>
        new[] { typeof(MailSyncOptions).Assembly, typeof(AuthOptions).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.IsClass && type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true });

    private static string Section(Type type) => (string)type.GetField("Section", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;

    /// <summary>The configuration keys a type binds under <paramref name="prefix"/>: its settable properties, nested sections walked.</summary>
    private static IEnumerable<string> Keys(string prefix, Type type, bool sections = false)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var nested = property.PropertyType;
            if (nested.IsClass && nested != typeof(string) && !IsCollection(property) && nested.Namespace?.StartsWith("MailSync", StringComparison.Ordinal) == true)
            {
                if (sections) yield return key;
                foreach (var inner in Keys(key, nested, sections)) yield return inner;
            }
            else
            {
                yield return key;
            }
        }
    }

    private static bool IsCollection(PropertyInfo property) =>
        property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType);

    private static IEnumerable<string> ProductFiles() => ProductFolders.SelectMany(folder => Files(folder, "*.cs"));

    private static IEnumerable<string> Files(string folder, params string[] patterns)
    {
        var root = RepositoryRoot.File(folder);
        if (!Directory.Exists(root)) return [];
        return patterns.SelectMany(pattern => Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !file.Contains("node_modules", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\|\s*`(?<key>[A-Za-z]+(?::[A-Za-z]+)+)(?::<[a-z]+>)?`")]
    private static partial Regex DocumentedKey();

    [GeneratedRegex(@"\b[Ii]ssue\s+#?\d+|\bIssue\s+\d+\s+item", RegexOptions.None)]
    private static partial Regex IssueNumber();
}
