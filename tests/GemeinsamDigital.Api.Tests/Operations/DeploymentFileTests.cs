using System.Net;
using System.Text.RegularExpressions;
using GemeinsamDigital.Api.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace GemeinsamDigital.Api.Tests.Operations;

/// <summary>
/// ops/: the compose file, the proxy and the Kubernetes manifests (no Docker or cluster here, so
/// they are parsed): probes, ports, commands and environment names must be the service's own.
/// </summary>
public class DeploymentFileTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static YamlMappingNode Yaml(params string[] path)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(MonitoringFileTests.Ops(path))));
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    private static YamlSequenceNode Seq(YamlNode node, string key) => (YamlSequenceNode)((YamlMappingNode)node)[key];

    private static string Text(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    private static IEnumerable<string> Names(YamlMappingNode map) => map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    /// <summary>The port the image listens on (ops/Dockerfile: Urls=http://+:PORT).</summary>
    private static int ImagePort()
    {
        var match = Regex.Match(File.ReadAllText(MonitoringFileTests.Ops("Dockerfile")), @"Urls=http://\+:(\d+)");
        match.Success.ShouldBeTrue("the Dockerfile sets Urls");
        return int.Parse(match.Groups[1].Value);
    }

    /// <summary>Every environment name must be a setting docs/operations.md documents, or one of .NET's own.</summary>
    private static void ShouldBeSettings(IEnumerable<string> names, string where)
    {
        var documented = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "operations.md"));
        string[] platform = ["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_FORWARDEDHEADERS_ENABLED", "OTEL_SERVICE_NAME"];
        foreach (var name in names)
        {
            var setting = name.Replace("__", ":", StringComparison.Ordinal);
            var known = platform.Contains(name) || documented.Contains($"`{setting}`", StringComparison.Ordinal)
                || documented.Contains($"`{setting.Split(':')[0]}:*`", StringComparison.Ordinal);
            known.ShouldBeTrue($"{where}: '{name}' is no setting of the service (docs/operations.md)");
        }
    }

    [Fact]
    public async Task Kubernetes_probes_ports_commands_and_settings_are_the_services()
    {
        var deployment = Yaml("k8s", "deployment.yaml");
        var pod = Map(Map(deployment, "spec"), "template");
        var container = (YamlMappingNode)Seq(Map(pod, "spec"), "containers").Single();
        var port = (YamlMappingNode)Seq(container, "ports").Single();
        int.Parse(Text(port, "containerPort")).ShouldBe(ImagePort());
        var portName = Text(port, "name");

        var probes = new Dictionary<string, string>();
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            var get = Map(Map(container, probe), "httpGet");
            Text(get, "port").ShouldBe(portName);
            probes[probe] = Text(get, "path");
        }
        probes["readinessProbe"].ShouldBe("/health/ready");
        probes["livenessProbe"].ShouldBe("/health/live");
        foreach (var path in probes.Values.Distinct())
        {
            // The service answers them without credentials (the fixture's anonymous client).
            using var anonymous = api.AnonymousClient();
            (await anonymous.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }

        // Settings come from the config map and the secret, and are the service's.
        var configMap = Yaml("k8s", "configmap.yaml");
        var secret = Yaml("k8s", "secret.yaml");
        var sources = Seq(container, "envFrom").Cast<YamlMappingNode>()
            .Select(e => e.Children.ContainsKey("configMapRef") ? ("configMap", Text(Map(e, "configMapRef"), "name")) : ("secret", Text(Map(e, "secretRef"), "name")))
            .ToList();
        sources.ShouldContain(("configMap", Text(Map(configMap, "metadata"), "name")));
        sources.ShouldContain(("secret", Text(Map(secret, "metadata"), "name")));
        var settings = Names(Map(configMap, "data")).Concat(Names(Map(secret, "stringData"))).ToList();
        settings.ShouldContain("ConnectionStrings__Marten");
        settings.ShouldContain("Subjects__LookupSecret");
        Text(Map(configMap, "data"), "Projections__DaemonMode").ShouldBe("HotCold");
        Text(Map(configMap, "data"), "Urls").ShouldBe($"http://+:{ImagePort()}");
        ShouldBeSettings(settings, "k8s");

        // The migration job runs db-apply with the same settings.
        var job = Yaml("k8s", "migrate-job.yaml");
        var migrate = (YamlMappingNode)Seq(Map(Map(Map(job, "spec"), "template"), "spec"), "containers").Single();
        Seq(migrate, "args").Select(a => ((YamlScalarNode)a).Value).ShouldBe(["db-apply"]);
        Seq(migrate, "envFrom").Count().ShouldBe(2);

        // The service and the disruption budget select the deployment's pods.
        var labels = Map(Map(pod, "metadata"), "labels");
        var service = Yaml("k8s", "service.yaml");
        foreach (var selector in new[] { Map(Map(service, "spec"), "selector"), Map(Map(Map(Yaml("k8s", "pdb.yaml"), "spec"), "selector"), "matchLabels") })
        {
            foreach (var (key, value) in selector.Children)
            {
                ((YamlScalarNode)labels[key]).Value.ShouldBe(((YamlScalarNode)value).Value);
            }
        }
        Text((YamlMappingNode)Seq(Map(service, "spec"), "ports").Single(), "targetPort").ShouldBe(portName);
        int.Parse(Text(Map(Yaml("k8s", "pdb.yaml"), "spec"), "minAvailable")).ShouldBeLessThan(int.Parse(Text(Map(deployment, "spec"), "replicas")));
    }

    [Fact]
    public void Compose_runs_two_replicas_behind_the_proxy_after_db_apply()
    {
        var services = Map(Yaml("docker-compose.yml"), "services");
        var apiService = Map(services, "api");
        Text(Map(apiService, "deploy"), "replicas").ShouldBe("2");
        Seq(apiService, "expose").Select(p => ((YamlScalarNode)p).Value).ShouldBe([ImagePort().ToString()]);
        Text(Map(Map(apiService, "depends_on"), "migrate"), "condition").ShouldBe("service_completed_successfully");
        Map(apiService, "healthcheck").ToString().ShouldContain("/health/ready");

        var migrate = Map(services, "migrate");
        Seq(migrate, "command").Select(a => ((YamlScalarNode)a).Value).ShouldBe(["db-apply"]);
        var environment = Map(migrate, "environment");
        Text(environment, "Projections__DaemonMode").ShouldBe("HotCold");
        Text(environment, "ASPNETCORE_ENVIRONMENT").ShouldBe("Production");
        ShouldBeSettings(Names(environment), "compose");
        // YAML anchors: the replicas get exactly the migration's settings.
        Names(Map(apiService, "environment")).ShouldBe(Names(environment));

        var nginx = File.ReadAllText(MonitoringFileTests.Ops("nginx.conf"));
        nginx.ShouldContain($"server api:{ImagePort()};");
        Seq(Map(services, "proxy"), "ports").Select(p => ((YamlScalarNode)p).Value).ShouldBe(["5080:80"]);
    }
}
