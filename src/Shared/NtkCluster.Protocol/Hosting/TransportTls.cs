using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Hosting;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Protocol.Hosting;

/// <summary>
/// TLS on the cluster transport (Akka.Remote's DotNetty TCP with <c>enable-ssl = true</c>): one certificate, a .pfx
/// with its private key, shared by every node and client of the cluster.
/// </summary>
/// <remarks>
/// <para><b>Which peers are accepted: exactly this certificate (pinning).</b> Every connection is mutually
/// authenticated (<c>require-mutual-authentication</c>: both sides present the certificate), and a peer is accepted
/// only if the certificate it presents is byte for byte the one this node holds. That is what makes a self-signed
/// certificate safe to use: it is in no trust store, so chain validation would reject it, and Akka's
/// <c>ssl.suppress-validation = true</c> — the usual workaround — would accept <em>any</em> certificate, so anyone
/// who can reach the port could join with one of their own. Pinning accepts only holders of this .pfx (its private
/// key proves possession in the handshake). Hostnames are not checked (<c>validate-certificate-hostname = false</c>):
/// the certificate identifies the cluster, not a node, and nodes are reached by IP, pod IP or container name.</para>
/// <para>The certificate is handed to Akka as an object (<see cref="SslOptions.X509Certificate"/>), never through HOCON:
/// the password is read from the environment (<see cref="PasswordVariable"/>) and never appears on a command line, in
/// a configuration string or in a log.</para>
/// </remarks>
public sealed class TransportTls
{
    public const string CertificateVariable = "NTK_TLS_CERTIFICATE";
    public const string PasswordVariable = "NTK_TLS_PASSWORD";

    /// <summary>What <c>--help</c> says about how certificates are checked.</summary>
    public const string PolicyText =
        "TLS: --tls-certificate PATH or NTK_TLS_CERTIFICATE (a .pfx with its private key), password in NTK_TLS_PASSWORD;\n" +
        "every node and client must use the same certificate. Connections are mutually authenticated and a peer is\n" +
        "accepted only if it presents exactly that certificate (pinned; no chain or hostname validation), so a\n" +
        "self-signed certificate works and nobody without the .pfx can join.";

    public string Path { get; }

    public X509Certificate2 Certificate { get; }

    private readonly byte[] _pinned;

    private TransportTls(string path, X509Certificate2 certificate)
    {
        Path = path;
        Certificate = certificate;
        _pinned = certificate.RawData;
    }

    /// <summary>
    /// The TLS settings of a program: <paramref name="path"/> (from <c>--tls-certificate</c>), else the
    /// <see cref="CertificateVariable"/> environment variable; null when neither is set (plain TCP).
    /// </summary>
    /// <exception cref="InvalidInputException">The file is missing, unreadable, not a .pfx, the password is wrong, it has
    /// no private key, or it has expired.</exception>
    public static TransportTls? Resolve(string? path)
    {
        path ??= Environment.GetEnvironmentVariable(CertificateVariable);
        if (string.IsNullOrWhiteSpace(path)) return null;
        return Load(path, Environment.GetEnvironmentVariable(PasswordVariable));
    }

    public static TransportTls Load(string path, string? password)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"TLS certificate {path}: no such file");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException e)
        {
            throw new InvalidInputException(
                $"TLS certificate {path}: cannot open it ({e.Message.TrimEnd('.')}); is it a .pfx (PKCS#12) and is {PasswordVariable} its password?");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"TLS certificate {path}: cannot read it ({e.Message})");
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidInputException($"TLS certificate {path}: it has no private key (export the .pfx with its key)");
        if (certificate.NotAfter < DateTime.Now)
            throw new InvalidInputException($"TLS certificate {path}: it expired on {certificate.NotAfter:yyyy-MM-dd}");
        return new TransportTls(path, certificate);
    }

    /// <summary>
    /// A certificate of this process alone, made now and never written anywhere: local mode's transport uses it, so its
    /// one-node cluster, whose port any local user can reach, admits no other process (pinning accepts only a peer
    /// holding this private key, and plain TCP fails the handshake).
    /// </summary>
    public static TransportTls Ephemeral()
    {
        // ECDSA P-256: a key in about a millisecond, where RSA takes tens to hundreds.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=ntk local {Environment.ProcessId}", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        // Through PKCS#12 and back: the key becomes one that TLS on every platform accepts (an ephemeral key is not,
        // on Windows). The password exists only in this process's memory.
        string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12, password), password,
            X509KeyStorageFlags.DefaultKeySet);
        return new TransportTls("(this process's own certificate)", certificate);
    }

    /// <summary>The SHA-256 fingerprint of the certificate, as openssl prints it (for logs).</summary>
    public string Fingerprint => Convert.ToHexString(Certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>Akka.Remote.Hosting's TLS options: this certificate, mutual authentication, pinned (no chain or
    /// hostname validation: <see cref="Validate"/> accepts exactly this certificate).</summary>
    public SslOptions Options() => new()
    {
        X509Certificate = Certificate,
        SuppressValidation = false,
        RequireMutualAuthentication = true,
        ValidateCertificateHostname = false,
        CustomValidator = Validate,
    };

    private bool Validate(X509Certificate2? certificate, X509Chain? chain, string peer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (certificate is not null && certificate.RawData.AsSpan().SequenceEqual(_pinned)) return true;
        log.Warning("TLS: rejected {0}: it presented {1}, not the cluster's certificate ({2})", peer,
            certificate is null ? "no certificate" : $"'{certificate.Subject}' (SHA-256 {Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256))})",
            Fingerprint);
        return false;
    }
}
