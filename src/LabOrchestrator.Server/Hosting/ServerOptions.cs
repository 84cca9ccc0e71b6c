namespace LabOrchestrator.Server.Hosting;

/// <summary>Settings of the server, bound from the "Server" configuration section.</summary>
public sealed record ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>Where Kestrel listens; loopback by default, since nodes' consoles are reached through it.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Run the host checks (labctl doctor) before serving, and refuse to start when a required one fails, instead of
    /// failing every session later. labctl serve turns it on; embedded hosts and tests choose.
    /// </summary>
    public bool CheckHost { get; set; }

    /// <summary>Largest lab upload (YAML or archive) in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Who may show the web app and API in a frame: a Content-Security-Policy <c>frame-ancestors</c> source list,
    /// space-separated. <c>'self'</c> by default; add an LMS such as <c>'self' https://moodle.example.com</c>.
    /// </summary>
    public string FrameAncestors { get; set; } = "'self'";
}
