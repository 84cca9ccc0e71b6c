namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>Crash cases run one at a time: each kills a process mid-operation and checks Podman for leftovers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashRecoveryCollection
{
    public const string Name = "crash recovery";
}
