using System.Globalization;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Protocol.Hosting;

/// <summary>A node's <c>host:port</c> as given on a command line (<c>--seeds</c>, <c>--cluster</c>); IPv6 in brackets.</summary>
public sealed record ClusterAddress(string Host, int Port)
{
    /// <exception cref="InvalidInputException">Not of the form host:port with a port from 1 to 65535.</exception>
    public static ClusterAddress Parse(string text, string what)
    {
        string t = text.Trim();
        int colon = t.LastIndexOf(':');
        string host = colon > 0 ? t[..colon] : "";
        string port = colon > 0 ? t[(colon + 1)..] : "";
        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        bool hostOk = host.Length > 0 && (bracketed ? host.Length > 2 : !host.Contains(':')) && !host.Any(char.IsWhiteSpace) && !host.Contains('/') && !host.Contains('@');
        if (!hostOk || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p < 1 || p > 65535)
            throw new InvalidInputException($"{what} '{text}' is not HOST:PORT (a host name or IP address, a colon, and a port from 1 to 65535)");
        return new ClusterAddress(host, p);
    }

    /// <summary>The host in the form an Akka address uses (IPv6 in brackets).</summary>
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
