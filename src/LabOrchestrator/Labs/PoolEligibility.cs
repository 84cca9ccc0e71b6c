namespace LabOrchestrator.Labs;

/// <summary>
/// Whether a lab's sessions may be started in advance. A claimed session gets fresh generated passwords, set inside
/// each node by exec (<c>chpasswd</c>) at the claim. A VM node's credentials never reach its guest (they are given to
/// its launcher only), so a fresh password could not be made true there: labs with generated credentials on a VM node
/// are not pooled.
/// </summary>
public static class PoolEligibility
{
    /// <summary>Why the lab cannot be pooled, in a sentence with the fix; null when it can.</summary>
    public static string? WhyNot(LabDefinition lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var vm = lab.Nodes.FirstOrDefault(n => n.Kind == NodeKind.Vm && n.Credentials.Any(c => c.GeneratePassword));
        return vm is null
            ? null
            : $"node '{vm.Name}' is a VM with a generated password, which cannot be changed inside its guest when a learner claims a pooled session";
    }

    /// <summary>The fix that goes with <see cref="WhyNot"/>.</summary>
    public const string Hint = "remove 'pool', or give the VM node's credentials a literal password";
}
