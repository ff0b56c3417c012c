using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Hosting;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Numerics.Errors;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;
using Xunit;
using AkkaCluster = Akka.Cluster.Cluster;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>Self-signed .pfx files made on the spot, as an operator would with openssl.</summary>
internal static class TestCertificates
{
    public const string Password = "pässwörd \"with\" {braces} $and$ \\slashes";

    public static string Write(string directory, string name, string subject = "CN=ntk-cluster", bool withKey = true, int validDays = 30)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-2), now.AddDays(validDays));
        string path = Path.Combine(directory, name);
        byte[] bytes = withKey
            ? certificate.Export(X509ContentType.Pfx, Password)
            : X509CertificateLoader.LoadCertificate(certificate.RawData).Export(X509ContentType.Pfx, Password);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

/// <summary>
/// TLS on the cluster transport, in process: the configuration a TLS node builds, the checks on the certificate
/// file, and two nodes forming a cluster over TLS with a self-signed certificate while a third node holding another
/// certificate is kept out (the certificate is pinned).
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_tls_node_builds_an_ssl_transport_with_akka_ssl_tcp_seeds_and_no_password_in_its_configuration()
    {
        var tls = TransportTls.Load(TestCertificates.Write(_dir.Path, "ntk.pfx"), TestCertificates.Password);
        var options = new NodeOptions { Host = "0.0.0.0", PublicHost = "coordinator", Port = 4053, Seeds = ["coordinator:4053"], Tls = tls };
        var config = NodeConfig.Build(options);
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal("0.0.0.0", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal("coordinator", config.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal(["akka.ssl.tcp://ntk@coordinator:4053"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.DoesNotContain(TestCertificates.Password, config.ToString(includeFallback: false));

        var ssl = tls.Options();
        Assert.True(ssl.RequireMutualAuthentication);
        Assert.False(ssl.SuppressValidation);
        Assert.False(ssl.ValidateCertificateHostname);
        Assert.NotNull(ssl.CustomValidator);
        Assert.Equal(tls.Certificate, ssl.X509Certificate);

        var plain = NodeConfig.Build(options with { Tls = null });
        Assert.False(plain.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(["akka.tcp://ntk@coordinator:4053"], plain.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal("akka.ssl.tcp://ntk@h:1/user/gateway", NodeConfig.GatewayPath("h:1", tls: true));
    }

    [Fact]
    public void Unusable_certificates_are_refused_with_the_reason()
    {
        string good = TestCertificates.Write(_dir.Path, "good.pfx");
        Assert.Contains("no such file", Assert.Throws<InvalidInputException>(() => TransportTls.Load(Path.Combine(_dir.Path, "missing.pfx"), null)).Message);
        Assert.Contains("NTK_TLS_PASSWORD", Assert.Throws<InvalidInputException>(() => TransportTls.Load(good, "wrong")).Message);
        Assert.Contains("no private key",
            Assert.Throws<InvalidInputException>(() => TransportTls.Load(TestCertificates.Write(_dir.Path, "nokey.pfx", withKey: false), TestCertificates.Password)).Message);
        Assert.Contains("expired",
            Assert.Throws<InvalidInputException>(() => TransportTls.Load(TestCertificates.Write(_dir.Path, "old.pfx", validDays: -1), TestCertificates.Password)).Message);
        File.WriteAllText(Path.Combine(_dir.Path, "text.pfx"), "not a certificate");
        Assert.Contains("PKCS#12", Assert.Throws<InvalidInputException>(() => TransportTls.Load(Path.Combine(_dir.Path, "text.pfx"), null)).Message);
    }

    [Fact]
    public async Task Two_tls_nodes_with_a_self_signed_certificate_form_a_cluster_and_a_node_with_another_certificate_cannot_join()
    {
        var tls = TransportTls.Load(TestCertificates.Write(_dir.Path, "cluster.pfx"), TestCertificates.Password);
        var stranger = TransportTls.Load(TestCertificates.Write(_dir.Path, "stranger.pfx", "CN=ntk-cluster"), TestCertificates.Password);
        int seedPort = NodeProcess.FreePort();
        string seed = $"127.0.0.1:{seedPort}";
        var hosts = new[]
        {
            Node(new NodeOptions { Port = seedPort, Seeds = [seed], Roles = [BlockSharding.CoordinatorRole], Tls = tls }),
            Node(new NodeOptions { Port = 0, Seeds = [seed], Roles = [BlockSharding.WorkerRole], Tls = tls }),
            Node(new NodeOptions { Port = 0, Seeds = [seed], Roles = [BlockSharding.WorkerRole], Tls = stranger }),
        };
        var first = await hosts[0].StartSystemAsync();
        var second = await hosts[1].StartSystemAsync();
        var third = await hosts[2].StartSystemAsync();
        try
        {
            Assert.Equal("akka.ssl.tcp", AkkaCluster.Get(first).SelfAddress.Protocol);
            await NtkCluster.Cluster.Tests.Transport.ClusterNodes.WaitForMembersUpAsync(first, 2);
            var members = AkkaCluster.Get(first).State.Members;
            Assert.Contains(members, m => m.Address == AkkaCluster.Get(second).SelfAddress && m.Status == MemberStatus.Up);

            // Give the stranger as long again: it must never become a member.
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.DoesNotContain(AkkaCluster.Get(first).State.Members, m => m.Address == AkkaCluster.Get(third).SelfAddress);
            Assert.Equal(2, AkkaCluster.Get(first).State.Members.Count);
        }
        finally
        {
            await Task.WhenAll(third.Terminate(), second.Terminate());
            await first.Terminate();
            foreach (var host in hosts) host.Dispose();
        }
    }

    /// <summary>A node as the programs build it (Akka.Hosting), not yet started.</summary>
    private static IHost Node(NodeOptions options) =>
        NodeHost.Create(NodeConfig.SystemName, options.LogLevel, handleSignals: false, akka => akka.WithNtkNode(options));
}

/// <summary>
/// TLS and graceful shutdown with the real programs: a coordinator and a worker started with NTK_TLS_CERTIFICATE and
/// NTK_TLS_PASSWORD, a client with the same variables, one without; then SIGTERM: the worker leaves the cluster and
/// exits 0, and so does the coordinator.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class TlsClusterProcessTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_tls_cluster_of_processes_serves_tls_clients_refuses_plain_ones_and_leaves_gracefully_on_sigterm()
    {
        var environment = new Dictionary<string, string>
        {
            ["NTK_TLS_CERTIFICATE"] = TestCertificates.Write(_dir.Path, "ntk.pfx"),
            ["NTK_TLS_PASSWORD"] = TestCertificates.Password,
        };
        string data = _dir.Write("data.csv", TestData.Csv(100, seed: 3));
        await using var cluster = await ClusterProcesses.StartAsync(1, environment);
        var status = await cluster.StatusAsync();
        Assert.Equal(1, status.GetProperty("workers").GetInt32());
        Assert.All(status.GetProperty("nodes").EnumerateArray(), n => Assert.StartsWith("akka.ssl.tcp://ntk@127.0.0.1:", n.GetProperty("address").GetString()));
        Assert.Contains("TLS with", cluster.Coordinator.Output);

        var fit = await NtkProcess.RunAsync(_dir.Path, environment, "fit", "--train", data, "--kernel", "rbf:gamma=1", "--lambda", "0.1",
            "--features", "20", "--model", "m.json", "--cluster", cluster.Address);
        Assert.True(fit.ExitCode == 0, fit + "\n" + cluster.Describe());
        Assert.True(File.Exists(Path.Combine(_dir.Path, "m.json")));

        var plain = await NtkProcess.RunAsync(_dir.Path, null, "status", "--cluster", cluster.Address);
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains("NTK_TLS_CERTIFICATE", Assert.Single(CliRun.Lines(plain.Stderr)));

        var worker = cluster.Workers[0];
        worker.Terminate();
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("leaving the cluster", worker.Output);
        await cluster.WaitForWorkersAsync(0, TimeSpan.FromSeconds(30));
        Assert.Contains("left the cluster", cluster.Coordinator.Output);

        cluster.Coordinator.Terminate();
        Assert.Equal(0, await cluster.Coordinator.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ntk coordinator: stopped", cluster.Coordinator.Output);
    }
}
