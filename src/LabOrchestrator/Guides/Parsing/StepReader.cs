using System.Text.RegularExpressions;
using LabOrchestrator.Labs;
using Markdig.Syntax;
using YamlDotNet.RepresentationModel;

namespace LabOrchestrator.Guides.Parsing;

/// <summary>Reads a <c>```step</c> fenced block: its attributes from the info string and its YAML body.</summary>
internal static partial class StepReader
{
    public const string FenceLanguage = "step";

    public static GuideStep? Read(FencedCodeBlock fence, string file, string page, IReadOnlyCollection<string>? nodes, HashSet<string> ids, List<LabDiagnostic> diagnostics)
    {
        // Markdig counts lines from 0; the fence is on Line + 1 and its body starts one line below.
        var fenceLine = fence.Line + 1;
        var attributes = StepInfoString.Parse(fence.Arguments, out var error);
        var info = new GuideYaml(file, 0, diagnostics);
        if (error is not null)
        {
            info.Error(fenceLine, fence.Column + 1, "step", error);
            return null;
        }

        string? id = null;
        string? title = null;
        foreach (var (name, value) in attributes)
        {
            switch (name)
            {
                case "id": id = value; break;
                case "title": title = value; break;
                default: info.Error(fenceLine, fence.Column + 1, "step", $"'{name}' is not a known attribute", "known attributes: id, title"); break;
            }
        }

        if (id is null || !IdPattern().IsMatch(id))
        {
            info.Error(fenceLine, fence.Column + 1, "step",
                id is null ? "has no id" : $"id '{id}' is not a valid id",
                "give it one of lowercase letters, digits and dashes, e.g. ```step id=make-file");
            return null;
        }

        if (!ids.Add(id))
        {
            info.Error(fenceLine, fence.Column + 1, "step", $"id '{id}' is used by another step", "give every step of the guide its own id");
            return null;
        }

        var body = new GuideYaml(file, fenceLine, diagnostics);
        var errors = diagnostics.Count;
        if (body.ParseMapping(fence.Lines.ToString(), $"the body of step '{id}'") is not { } mapping)
        {
            return null;
        }

        GuideScript? check = null;
        GuideScript? solve = null;
        IReadOnlyList<string> hints = [];
        foreach (var (key, value) in body.Entries(mapping, "", "check", "solve", "hints"))
        {
            switch (key)
            {
                case "check": check = ReadScript(body, value, key, nodes); break;
                case "solve": solve = ReadScript(body, value, key, nodes); break;
                default: hints = ReadHints(body, value, key); break;
            }
        }

        return diagnostics.Count > errors ? null : new GuideStep
        {
            Id = id,
            Page = page,
            Title = title,
            Line = fenceLine,
            Check = check,
            Solve = solve,
            Hints = hints,
        };
    }

    private static GuideScript? ReadScript(GuideYaml yaml, YamlNode node, string path, IReadOnlyCollection<string>? nodes)
    {
        if (yaml.Mapping(node, path) is not { } mapping)
        {
            return null;
        }

        string? nodeName = null;
        string? script = null;
        var timeout = GuideScript.DefaultTimeout;
        foreach (var (key, value) in yaml.Entries(mapping, path, "node", "script", "timeout"))
        {
            var field = GuideYaml.Join(path, key);
            switch (key)
            {
                case "node":
                    nodeName = yaml.String(value, field);
                    if (nodeName is not null && nodes is not null && !nodes.Contains(nodeName))
                    {
                        yaml.Error(value, field, $"the lab has no node '{nodeName}'", $"nodes of the lab: {string.Join(", ", nodes)}");
                    }

                    break;
                case "script":
                    script = yaml.String(value, field);
                    if (script is not null && script.Trim().Length == 0)
                    {
                        yaml.Error(value, field, "must not be empty");
                    }

                    break;
                default:
                    timeout = yaml.Duration(value, field, GuideScript.MaxTimeout) ?? timeout;
                    break;
            }
        }

        if (nodeName is null)
        {
            yaml.Error(node, path, "has no node", "name the node the script runs in, e.g. node: linux");
        }

        if (script is null)
        {
            yaml.Error(node, path, "has no script", "add the shell script to run, e.g. script: test -f /tmp/x");
        }

        return nodeName is null || script is null ? null : new GuideScript(nodeName, script, timeout);
    }

    private static IReadOnlyList<string> ReadHints(GuideYaml yaml, YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            return yaml.String(node, path) is { } single ? [single] : [];
        }

        if (yaml.Sequence(node, path, "write hints as a list: hints: [\"Use echo\"]") is not { } sequence)
        {
            return [];
        }

        return sequence.Children.Select((child, i) => yaml.String(child, $"{path}[{i}]")).OfType<string>().ToList();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();
}
