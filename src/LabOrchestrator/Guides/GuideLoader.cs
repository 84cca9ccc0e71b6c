using LabOrchestrator.Guides.Parsing;
using LabOrchestrator.Labs;
using LabOrchestrator.Labs.Parsing;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using YamlDotNet.RepresentationModel;

namespace LabOrchestrator.Guides;

/// <summary>Reads a guide folder: <c>guide.yaml</c> and the Markdown pages it lists, with the steps in them.</summary>
public static class GuideLoader
{
    public const string ManifestFileName = "guide.yaml";

    /// <summary>
    /// Reads the guide in <paramref name="folder"/>. When <paramref name="nodes"/> is given, steps must run their
    /// scripts in one of those nodes.
    /// </summary>
    public static GuideLoadResult Load(string folder, IReadOnlyCollection<string>? nodes = null) =>
        Load(folder, nodes, ParseBudget.Start(CancellationToken.None));

    /// <summary>
    /// Reads the guide within the parser limits (sizes, nesting, counts) and <paramref name="budget"/>; running out of
    /// time is reported as a problem of the guide.
    /// </summary>
    internal static GuideLoadResult Load(string folder, IReadOnlyCollection<string>? nodes, ParseBudget budget)
    {
        var diagnostics = new List<LabDiagnostic>();
        try
        {
            return Read(folder, nodes, budget, diagnostics);
        }
        catch (ParseBudgetExceededException e)
        {
            diagnostics.Add(new LabDiagnostic(Path.Combine(folder, ManifestFileName), 1, 1, "", e.Message, ParseBudgetExceededException.Hint));
            return new GuideLoadResult(null, diagnostics);
        }
    }

    private static GuideLoadResult Read(string folder, IReadOnlyCollection<string>? nodes, ParseBudget budget, List<LabDiagnostic> diagnostics)
    {
        var manifestFile = Path.Combine(folder, ManifestFileName);
        var yaml = new GuideYaml(manifestFile, 0, diagnostics);
        if (!File.Exists(manifestFile))
        {
            yaml.Error(1, 1, "", $"the guide folder has no {ManifestFileName}", "add one with a title and the list of pages");
            return new GuideLoadResult(null, diagnostics);
        }

        if (new FileInfo(manifestFile).Length > ParserLimits.MaxGuideManifestBytes)
        {
            yaml.Error(1, 1, "", $"{ManifestFileName} is larger than {ParserLimits.MaxGuideManifestBytes} bytes", "keep it to the title, the pages and a few variables");
            return new GuideLoadResult(null, diagnostics);
        }

        if (yaml.ParseMapping(File.ReadAllText(manifestFile), ManifestFileName) is not { } root)
        {
            return new GuideLoadResult(null, diagnostics);
        }

        string? title = null;
        var pageNames = new List<(string File, YamlNode Node)>();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var sawPages = false;
        foreach (var (key, value) in yaml.Entries(root, "", "title", "pages", "variables"))
        {
            switch (key)
            {
                case "title": title = yaml.String(value, key); break;
                case "pages": sawPages = true; ReadPageList(yaml, value, pageNames); break;
                default: ReadVariables(yaml, value, variables); break;
            }
        }

        if (title is null && !diagnostics.Any(d => d.Path == "title"))
        {
            yaml.Error(root, "title", "is missing", "add title: followed by the guide's title");
        }

        if (!sawPages)
        {
            yaml.Error(root, "pages", "is missing", "list the Markdown pages in reading order, e.g. pages: [intro.md]");
        }

        var steps = new HashSet<string>(StringComparer.Ordinal);
        var pages = new List<GuidePage>();
        foreach (var (file, node) in pageNames)
        {
            budget.Check();
            if (GuideMedia.ResolveFile(folder, file, out var problem) is not { } page)
            {
                yaml.Error(node, "pages", problem!);
                continue;
            }

            if (new FileInfo(page).Length > ParserLimits.MaxGuidePageBytes)
            {
                yaml.Error(node, "pages", $"'{file}' is larger than {ParserLimits.MaxGuidePageBytes} bytes", "split it into several pages");
                continue;
            }

            if (ReadPage(folder, file, File.ReadAllText(page), nodes, steps, diagnostics, budget) is { } read)
            {
                pages.Add(read);
            }
        }

        var guide = diagnostics.Count > 0 ? null : new Guide
        {
            Title = title!,
            Folder = Path.GetFullPath(folder),
            Pages = pages,
            Variables = variables,
        };
        return new GuideLoadResult(guide, diagnostics);
    }

    private static void ReadPageList(GuideYaml yaml, YamlNode value, List<(string, YamlNode)> pages)
    {
        if (yaml.Sequence(value, "pages", "list the pages in reading order, e.g. pages: [intro.md, files.md]") is not { } list)
        {
            return;
        }

        if (list.Children.Count == 0)
        {
            yaml.Error(value, "pages", "must list at least one page");
        }

        if (list.Children.Count > ParserLimits.MaxGuidePages)
        {
            yaml.Error(value, "pages", $"lists {list.Children.Count} pages, more than the limit of {ParserLimits.MaxGuidePages}");
            return;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"pages[{i}]";
            if (yaml.String(list.Children[i], path) is not { } file)
            {
                continue;
            }

            if (!file.EndsWith(".md", StringComparison.Ordinal))
            {
                yaml.Error(list.Children[i], path, $"'{file}' is not a Markdown file", "pages end in .md");
            }
            else if (pages.Any(p => p.Item1 == file))
            {
                yaml.Error(list.Children[i], path, $"'{file}' is listed twice");
            }
            else
            {
                pages.Add((file, list.Children[i]));
            }
        }
    }

    private static void ReadVariables(GuideYaml yaml, YamlNode value, Dictionary<string, string> variables)
    {
        if (yaml.Mapping(value, "variables") is not { } mapping)
        {
            return;
        }

        foreach (var (name, node) in yaml.Entries(mapping, "variables"))
        {
            var path = GuideYaml.Join("variables", name);
            if (!GuideVariables.IsValidGuideVariableName(name))
            {
                yaml.Error(node, path, $"'{name}' is not a variable name guides may define",
                    "use letters, digits, _ and -, not starting with user, session, nodes or credentials");
            }
            else if (yaml.String(node, path) is { } text)
            {
                variables[name] = text;
            }
        }
    }

    private static GuidePage? ReadPage(string folder, string file, string markdown, IReadOnlyCollection<string>? nodes, HashSet<string> stepIds, List<LabDiagnostic> diagnostics, ParseBudget budget)
    {
        var path = Path.Combine(folder, file);
        var name = file[..^".md".Length];
        var at = new GuideYaml(path, 0, diagnostics);
        if (MarkdownLimits.Check(markdown) is { } tooDeep)
        {
            at.Error(tooDeep.Line, tooDeep.Column, "", tooDeep.Message, tooDeep.Hint);
            return null;
        }

        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(markdown, GuideMarkdown.Pipeline);
        }
        catch (ArgumentException e)
        {
            // Markdig's own nesting limit: the pre-check did not catch this shape, but the page is refused all the same.
            at.Error(1, 1, "", $"the page cannot be read: {e.Message}", "nest quotes, lists and emphasis less deeply");
            return null;
        }

        budget.Check();
        CheckImages(document, folder, at);
        var steps = new List<GuideStep>();
        foreach (var fence in document.Descendants<FencedCodeBlock>().Where(f => f.Info == StepReader.FenceLanguage))
        {
            budget.Check();
            if (stepIds.Count >= ParserLimits.MaxGuideSteps)
            {
                at.Error(fence.Line + 1, fence.Column + 1, "step", $"the guide has more than {ParserLimits.MaxGuideSteps} steps");
                break;
            }

            if (StepReader.Read(fence, path, name, nodes, stepIds, diagnostics) is { } step)
            {
                steps.Add(step);
            }
        }

        var heading = document.Descendants<HeadingBlock>().FirstOrDefault();
        var lines = markdown.Split('\n');
        var title = heading is null ? name : lines[heading.Line].Trim().TrimStart('#').Trim();
        return new GuidePage { Name = name, FileName = file, Title = title.Length == 0 ? name : title, Markdown = markdown, Steps = steps };
    }

    /// <summary>Images the page shows must be media learners may download, or they would be broken in the browser.</summary>
    private static void CheckImages(MarkdownDocument document, string folder, GuideYaml at)
    {
        foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage && l.Url is { Length: > 0 }))
        {
            var url = image.Url!;
            if (url.Contains("{{", StringComparison.Ordinal) || Uri.TryCreate(url, UriKind.Absolute, out _) || url.StartsWith('/'))
            {
                continue;
            }

            string? problem = null;
            if (GuideMedia.MediaPathOf(url) is not { } media)
            {
                problem = $"it is not in the guide's {GuideMedia.Folder}/ folder";
            }
            else
            {
                GuideMedia.Resolve(folder, Uri.UnescapeDataString(media), out problem);
            }

            if (problem is not null)
            {
                at.Error(image.Line + 1, image.Column + 1, "", $"the image '{url}' cannot be shown: {problem}",
                    $"put images in the guide's {GuideMedia.Folder}/ folder and refer to them as {GuideMedia.Folder}/NAME");
            }
        }
    }
}
