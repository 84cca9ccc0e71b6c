using System.Net;
using System.Text.RegularExpressions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Guides;

/// <summary>
/// Values for <c>{{ name }}</c> in a guide: the learner, the session, its nodes and credentials, and the variables
/// the guide defines.
/// </summary>
public sealed partial record GuideVariables(IReadOnlyDictionary<string, string> Values)
{
    private static readonly string[] ReservedPrefixes = ["user", "session", "nodes", "credentials"];

    public static GuideVariables Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>
    /// The variables of a session. Nodes reach each other by name on their lab networks, so a node's host is its name
    /// unless <paramref name="hosts"/> says otherwise.
    /// </summary>
    public static GuideVariables For(Guide guide, Session session, IReadOnlyDictionary<string, string>? hosts = null)
    {
        var values = new Dictionary<string, string>(guide.Variables, StringComparer.Ordinal)
        {
            ["user.id"] = session.UserId,
            ["user.name"] = session.UserDisplayName ?? session.UserId,
            ["session.id"] = session.Id,
            ["session.lab"] = session.LabName,
        };
        foreach (var node in session.Nodes)
        {
            values[$"nodes.{node.Node}.host"] = hosts?.GetValueOrDefault(node.Node) ?? node.Node;
        }

        foreach (var credential in session.Credentials)
        {
            values.TryAdd($"credentials.{credential.Name}.username", credential.Username);
            values.TryAdd($"credentials.{credential.Name}.password", credential.Password);
        }

        return new GuideVariables(values);
    }

    /// <summary>Replaces known variables in rendered HTML with their HTML-escaped values; unknown ones stay as written.</summary>
    public string SubstituteInHtml(string html) => Substitute(html, WebUtility.HtmlEncode);

    /// <summary>Replaces known variables with their values encoded by <paramref name="encode"/>; unknown ones stay as written.</summary>
    public string Substitute(string text, Func<string, string> encode) =>
        Reference().Replace(text, m => Values.TryGetValue(m.Groups["name"].Value, out var value) ? encode(value) : m.Value);

    /// <summary>Replaces known variables in plain text; unknown ones stay as written.</summary>
    public string Substitute(string text) =>
        Reference().Replace(text, m => Values.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Value);

    internal static bool IsValidGuideVariableName(string name) =>
        GuideName().IsMatch(name) && !ReservedPrefixes.Any(p => name == p || name.StartsWith(p + ".", StringComparison.Ordinal));

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z0-9_.-]+)\s*\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex GuideName();
}
