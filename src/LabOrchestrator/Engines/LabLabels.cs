namespace LabOrchestrator.Engines;

/// <summary>Label keys put on every object an engine creates.</summary>
public static class LabLabels
{
    public const string Prefix = "lab-orchestrator.io/";
    public const string Session = Prefix + "session";
    public const string Lab = Prefix + "lab";
    public const string Node = Prefix + "node";
    public const string User = Prefix + "user";
    public const string Network = Prefix + "network";
    /// <summary>"vm" on everything that runs a <c>kind: vm</c> node (its launcher pod, its VirtualMachine); absent for containers.</summary>
    public const string NodeKind = Prefix + "node-kind";
    public const string NodeKindVm = "vm";
    /// <summary>The id of the database whose session made the object (see <c>SessionReconciler</c>); a reconciler touches only its own.</summary>
    public const string Instance = Prefix + "instance";
    /// <summary>
    /// On objects that outlive sessions and never carry <see cref="Session"/>: <see cref="PersistentStorage"/> (a learner's
    /// storage volume) or <see cref="PersistentSaved"/> (a saved session's images).
    /// </summary>
    public const string Persistent = Prefix + "persistent";
    public const string PersistentStorage = "storage";
    public const string PersistentSaved = "saved";
    /// <summary>The saved session an object belongs to.</summary>
    public const string Saved = Prefix + "saved";
    /// <summary>A storage volume's own name, so one volume can be selected by label.</summary>
    public const string Volume = Prefix + "volume";
    /// <summary>The folder in the node a storage volume is mounted on (Podman labels; an annotation on Kubernetes).</summary>
    public const string StoragePath = Prefix + "path";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "lab-orchestrator";

    /// <summary>Label saying a pod joins a lab network (value "true"); used by NetworkPolicies.</summary>
    public static string NetworkMember(string network) => $"net.{Prefix}{network}";
}
