using LabOrchestrator.Labs.Parsing;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Labs;

/// <summary>Checks the administrator's lab ceilings at start-up, naming the setting that is wrong.</summary>
internal sealed class LabPolicyValidation : IValidateOptions<LabPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, LabPolicyOptions options) =>
        Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    public static string? Problem(LabPolicyOptions options)
    {
        if (QuantityValue.Parse(options.MaxNodeCpu ?? "") is not > 0)
        {
            return $"Labs:MaxNodeCpu '{options.MaxNodeCpu}' must be a positive Kubernetes quantity such as 4 or 2500m.";
        }

        if (QuantityValue.Parse(options.MaxNodeMemory ?? "") is not > 0)
        {
            return $"Labs:MaxNodeMemory '{options.MaxNodeMemory}' must be a positive Kubernetes quantity such as 8Gi.";
        }

        if (options.MaxNodesPerLab < 1)
        {
            return $"Labs:MaxNodesPerLab must be at least 1, not {options.MaxNodesPerLab}.";
        }

        if (options.Registries.Count == 0)
        {
            return "Labs:AllowedRegistries must name at least one registry host, e.g. localhost or docker.io.";
        }

        return options.Registries.FirstOrDefault(r => !LabPatterns.RegistryHost().IsMatch(r ?? "")) is { } bad
            ? $"Labs:AllowedRegistries entry '{bad}' is not a registry host such as docker.io or registry.example.org:5000."
            : null;
    }
}
