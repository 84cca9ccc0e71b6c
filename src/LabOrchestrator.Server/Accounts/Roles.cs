namespace LabOrchestrator.Server.Accounts;

/// <summary>The roles a user can have. Admins may do everything; instructors manage labs and see all sessions; learners use their own.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Instructor = "instructor";
    public const string Learner = "learner";

    public static IReadOnlyList<string> All { get; } = [Admin, Instructor, Learner];

    public static bool IsKnown(string role) => All.Contains(role);

    /// <summary>How much a role may do (admin above instructor above learner), to tell a demotion from a promotion.</summary>
    public static int Rank(string role) => role switch
    {
        Admin => 2,
        Instructor => 1,
        _ => 0,
    };
}
