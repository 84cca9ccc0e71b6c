namespace LabOrchestrator.Server.Accounts;

/// <summary>The roles a user can have. Admins may do everything; instructors manage labs and see all sessions; learners use their own.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Instructor = "instructor";
    public const string Learner = "learner";

    public static IReadOnlyList<string> All { get; } = [Admin, Instructor, Learner];

    public static bool IsKnown(string role) => All.Contains(role);
}
