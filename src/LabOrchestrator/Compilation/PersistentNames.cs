using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LabOrchestrator.Compilation;

/// <summary>Names and label values of objects that outlive sessions: per-learner storage and saved sessions.</summary>
public static partial class PersistentNames
{
    /// <summary>Every storage volume's name starts with this.</summary>
    public const string StoragePrefix = "lo-store-";

    /// <summary>
    /// The volume of one folder of one node, of one learner and lab. A hash, so no user id, however written, can make a
    /// name that is not valid or that is another learner's; user ids ignore case, as sign-in does.
    /// </summary>
    public static string StorageClaim(string userId, string lab, string node, string path)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var key = string.Join('\n', userId.ToLowerInvariant(), lab, node, path);
        return StoragePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24];
    }

    /// <summary>
    /// The user label's value: the user id itself when it is a valid Kubernetes label value, otherwise a hash of it, so
    /// selecting by it finds exactly that user's objects either way.
    /// </summary>
    public static string UserLabel(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var id = userId.ToLowerInvariant();
        return LabelValue().IsMatch(id) ? id : "u-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$")]
    private static partial Regex LabelValue();
}
