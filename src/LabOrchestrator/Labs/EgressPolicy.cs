namespace LabOrchestrator.Labs;

/// <summary>Where a lab's nodes may open connections beyond the lab's own networks (the lab file's <c>egress</c>).</summary>
public enum EgressPolicy
{
    /// <summary>Nowhere: nodes reach only each other (and name resolution). The default.</summary>
    None,

    /// <summary>Public internet addresses; never private, shared, link-local, loopback or multicast ranges, nor the host.</summary>
    Internet,
}
