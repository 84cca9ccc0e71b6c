namespace LabOrchestrator.Server.Accounts;

/// <summary>Authorization policy names: endpoints say <c>.RequireAuthorization(Policies.Instructor)</c>.</summary>
public static class Policies
{
    /// <summary>Any logged-in, enabled user.</summary>
    public const string User = "user";

    /// <summary>Instructors and admins.</summary>
    public const string Instructor = "instructor";

    /// <summary>Admins only.</summary>
    public const string Admin = "admin";
}
