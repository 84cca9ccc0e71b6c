using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabOrchestrator.Podman;

/// <summary>
/// Seccomp profiles for nodes, made from the host's own default profile (what Podman would use anyway). Podman's
/// default lets any process create user namespaces (clone, clone3 and unshare are allowed outright), in which root
/// regains every capability over new namespaces and a large kernel surface. <see cref="RefuseUserNamespaces"/> allows
/// clone and unshare only without CLONE_NEWUSER, and answers clone3 (whose flags seccomp cannot read) with ENOSYS, on
/// which glibc falls back to clone — as Docker's and containerd's defaults do for containers without CAP_SYS_ADMIN.
/// </summary>
internal static class SeccompProfiles
{
    /// <summary>Where Podman looks for its default profile: an administrator's override first.</summary>
    public static readonly IReadOnlyList<string> DefaultPaths = ["/etc/containers/seccomp.json", "/usr/share/containers/seccomp.json"];

    private const long CloneNewUser = 0x10000000;
    private const int NoSuchSyscall = 38;
    private static readonly string[] Guarded = ["clone", "clone3", "unshare"];

    public static string? ReadDefault() => DefaultPaths.Where(File.Exists).Select(File.ReadAllText).FirstOrDefault();

    /// <summary>The profile with user namespaces refused.</summary>
    public static string RefuseUserNamespaces(string defaultProfile)
    {
        var profile = JsonNode.Parse(defaultProfile)?.AsObject() ?? throw new JsonException("The seccomp profile is not a JSON object.");
        var syscalls = profile["syscalls"]?.AsArray() ?? throw new JsonException("The seccomp profile has no 'syscalls' list.");
        foreach (var rule in syscalls.OfType<JsonObject>().ToList())
        {
            if (rule["names"] is JsonArray names)
            {
                foreach (var name in names.Where(n => n is not null && Guarded.Contains(n.GetValue<string>())).ToList())
                {
                    names.Remove(name);
                }

                if (names.Count == 0)
                {
                    syscalls.Remove(rule);
                }
            }
        }

        foreach (var name in new[] { "clone", "unshare" })
        {
            syscalls.Add(new JsonObject
            {
                ["names"] = new JsonArray(name),
                ["action"] = "SCMP_ACT_ALLOW",
                // Flags are the first argument of both on x86-64 and arm64: allowed when CLONE_NEWUSER is not among them.
                ["args"] = new JsonArray(new JsonObject { ["index"] = 0, ["value"] = CloneNewUser, ["valueTwo"] = 0, ["op"] = "SCMP_CMP_MASKED_EQ" }),
            });
        }

        syscalls.Add(new JsonObject { ["names"] = new JsonArray("clone3"), ["action"] = "SCMP_ACT_ERRNO", ["errnoRet"] = NoSuchSyscall });
        return profile.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
