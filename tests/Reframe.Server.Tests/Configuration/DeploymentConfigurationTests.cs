using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Reframe.Server.Configuration;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Configuration;

/// <summary>
/// Keeps deploy/ (Docker Compose, Kubernetes) and scripts/cluster.sh in step with the service: every setting they
/// name is one the code reads and docs/configuration.md documents, each sets what a scale-out node needs, and the
/// values they give start the service (they are read by the real settings parser, role by role).
/// </summary>
public sealed partial class DeploymentConfigurationTests
{
    private static readonly string[] ScaleOutNames =
    [
        "REFRAME_ROLE", "REFRAME_DATABASE_URL", "REFRAME_BLOB_URL", "REFRAME_S3_ENDPOINT", "REFRAME_S3_REGION",
        "REFRAME_S3_FORCE_PATH_STYLE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "REFRAME_WEBHOOK_SECRET",
    ];

    private static string Repo(params string[] parts) => Path.Combine([RepositoryPaths.RepositoryRoot, .. parts]);

    private static IEnumerable<string> Artifacts() =>
        [Repo("deploy", "docker-compose.yml"), .. Directory.GetFiles(Repo("deploy", "kubernetes"), "*.yaml"), Repo("scripts", "cluster.sh")];

    /// <summary>Every REFRAME_* name the code reads (a string literal somewhere under src/), plus the AWS pair.</summary>
    private static HashSet<string> NamesTheCodeReads()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Repo("src"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            foreach (Match m in QuotedName().Matches(File.ReadAllText(file)))
            {
                names.Add(m.Groups[1].Value);
            }
        }
        return names;
    }

    [Fact]
    public void EveryNameInTheDeployFiles_IsReadByTheCode_AndDocumented()
    {
        var read = NamesTheCodeReads();
        var documented = Name().Matches(File.ReadAllText(Repo("docs", "configuration.md"))).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("REFRAME_ROLE", read); // the scan itself works
        foreach (var file in Artifacts())
        {
            foreach (var name in Name().Matches(File.ReadAllText(file)).Select(m => m.Value).Distinct())
            {
                if (name.StartsWith("REFRAME_CLUSTER_", StringComparison.Ordinal))
                {
                    continue; // cluster.sh's own knobs, documented in the script
                }
                Assert.True(read.Contains(name), $"{Path.GetFileName(file)} sets {name}, which the service never reads");
                Assert.True(documented.Contains(name), $"{Path.GetFileName(file)} sets {name}, which docs/configuration.md does not document");
            }
        }
    }

    [Fact]
    public void ComposeKubernetesAndClusterScript_EachSetWhatAScaleOutNodeNeeds()
    {
        var compose = File.ReadAllText(Repo("deploy", "docker-compose.yml"));
        var kubernetes = string.Join('\n', Directory.GetFiles(Repo("deploy", "kubernetes"), "*.yaml").Select(File.ReadAllText));
        var script = File.ReadAllText(Repo("scripts", "cluster.sh"));
        foreach (var (what, text) in new[] { ("compose", compose), ("kubernetes", kubernetes), ("cluster.sh", script) })
        {
            foreach (var name in ScaleOutNames)
            {
                Assert.True(text.Contains(name, StringComparison.Ordinal), $"{what} does not set {name}");
            }
        }
        Assert.Equal(["api", "worker"], RoleValues(compose));
        Assert.Equal(["api", "worker"], RoleValues(kubernetes));
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void ComposeValues_AreAcceptedByTheSettingsParser(string role)
    {
        var values = EnvironmentLines(File.ReadAllText(Repo("deploy", "docker-compose.yml")));
        values["REFRAME_ROLE"] = role;
        var settings = Parse(values);
        Assert.Equal((Enum.Parse<ReframeRole>(role, ignoreCase: true), "reframe", "results-store/", true),
            (settings.Role, settings.Blobs!.S3.Bucket, settings.Blobs.S3.Prefix, settings.Blobs.S3.ForcePathStyle));
        Assert.StartsWith("postgres://", settings.DatabaseUrl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api.yaml", ReframeRole.Api)]
    [InlineData("worker.yaml", ReframeRole.Worker)]
    public void KubernetesValues_AreAcceptedByTheSettingsParser(string deployment, ReframeRole role)
    {
        var values = EnvironmentLines(File.ReadAllText(Repo("deploy", "kubernetes", "config.yaml")));
        foreach (var (k, v) in EnvironmentLines(File.ReadAllText(Repo("deploy", "kubernetes", "secret.example.yaml"))))
        {
            values[k] = v;
        }
        foreach (Match m in ListEntry().Matches(File.ReadAllText(Repo("deploy", "kubernetes", deployment))))
        {
            values[m.Groups[1].Value] = m.Groups[2].Value.Trim('"');
        }
        var settings = Parse(values);
        Assert.Equal(role, settings.Role);
        Assert.NotNull(settings.DatabaseUrl);
        Assert.NotNull(settings.Blobs);
    }

    private static ReframeSettings Parse(Dictionary<string, string> values) =>
        ReframeSettings.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))).Build(), "/srv");

    /// <summary><c>NAME: value</c> lines (YAML maps), comments and quotes stripped.</summary>
    private static Dictionary<string, string> EnvironmentLines(string yaml)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in MapEntry().Matches(yaml))
        {
            values[m.Groups[1].Value] = m.Groups[2].Value.Split(" #")[0].Trim().Trim('"');
        }
        return values;
    }

    private static List<string> RoleValues(string text) =>
        RoleValue().Matches(text).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"\b(?:REFRAME_[A-Z0-9_]+|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY)\b")]
    private static partial Regex Name();

    [GeneratedRegex("\"((?:REFRAME_[A-Z0-9_]+|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY))\"")]
    private static partial Regex QuotedName();

    [GeneratedRegex(@"^\s*((?:REFRAME_[A-Z0-9_]+|AWS_[A-Z_]+)):\s*(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex MapEntry();

    [GeneratedRegex(@"\{\s*name:\s*((?:REFRAME_[A-Z0-9_]+)),\s*value:\s*([^}\s]+)\s*\}")]
    private static partial Regex ListEntry();

    [GeneratedRegex(@"REFRAME_ROLE[:,]?\s*(?:value:\s*)?""?([a-z]+)")]
    private static partial Regex RoleValue();
}
