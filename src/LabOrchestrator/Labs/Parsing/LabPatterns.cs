using System.Text.RegularExpressions;

namespace LabOrchestrator.Labs.Parsing;

/// <summary>The textual rules of the lab format, compiled at build time.</summary>
internal static partial class LabPatterns
{
    /// <summary>RFC 1123 label, as Kubernetes requires for object names: node names become pod and host names.</summary>
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public static partial Regex Dns1123Label();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    public static partial Regex EnvironmentName();

    /// <summary>The portable user name rule of useradd (NAME_REGEX), which the node images use.</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_-]*$")]
    public static partial Regex LinuxUserName();

    /// <summary>Kubernetes resource.Quantity: a signed decimal number, then a binary or decimal SI suffix or an exponent.</summary>
    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")]
    public static partial Regex Quantity();

    [GeneratedRegex("^(?:(?<h>[0-9]+)h)?(?:(?<m>[0-9]+)m)?(?:(?<s>[0-9]+)s)?$")]
    public static partial Regex Duration();

    /// <summary>A registry host with an optional port, as in the OCI distribution reference grammar.</summary>
    [GeneratedRegex(@"^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*(?::[0-9]+)?$")]
    public static partial Regex RegistryHost();

    /// <summary>One path component of a repository name: lowercase alphanumerics joined by '.', '_', '__' or dashes.</summary>
    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    public static partial Regex RepositoryComponent();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    public static partial Regex ImageTag();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    public static partial Regex ImageDigest();
}
