using System.Text;
using LabOrchestrator.Labs.Parsing;

namespace LabOrchestrator.Labs;

/// <summary>Reads and validates lab files, reporting every problem with its file, line and column.</summary>
public static class LabParser
{
    /// <summary>Reads a lab within the default ceilings (<see cref="LabPolicyOptions"/>).</summary>
    public static LabParseResult Parse(LabSource source) => Parse(source, new LabPolicyOptions());

    /// <summary>
    /// Reads a lab, refusing what exceeds <paramref name="policy"/> or the fixed parser limits (size, nesting, counts,
    /// a time budget). <paramref name="cancellationToken"/> is honoured between units of work.
    /// </summary>
    public static LabParseResult Parse(LabSource source, LabPolicyOptions policy, CancellationToken cancellationToken = default) =>
        Parse(source, policy, ParseBudget.Start(cancellationToken));

    internal static LabParseResult Parse(LabSource source, LabPolicyOptions policy, ParseBudget budget)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(policy);
        var diagnostics = new DiagnosticBag(source.FileName);
        var size = Encoding.UTF8.GetByteCount(source.Yaml);
        if (size > ParserLimits.MaxLabFileBytes)
        {
            diagnostics.Add(1, 1, "", $"the lab file is {size} bytes, more than the limit of {ParserLimits.MaxLabFileBytes}",
                "keep long texts in the guide; a lab file describes nodes, networks and limits");
            return new LabParseResult(null, diagnostics.Sorted());
        }

        LabDefinition? lab = null;
        try
        {
            lab = YamlDocumentReader.TryRead(source.Yaml, diagnostics, budget, out var root)
                ? new LabReader(source, new ValueReader(diagnostics), policy).Read(root)
                : null;
        }
        catch (ParseBudgetExceededException e)
        {
            diagnostics.Add(1, 1, "", e.Message, ParseBudgetExceededException.Hint);
        }

        return diagnostics.HasErrors ? new LabParseResult(null, diagnostics.Sorted()) : new LabParseResult(lab, []);
    }
}
