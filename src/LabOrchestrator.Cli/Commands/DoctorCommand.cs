using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Doctor;
using LabOrchestrator.Hosting;
using LabOrchestrator.Kubernetes;
using LabOrchestrator.Podman;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

/// <summary>
/// <c>labctl doctor</c>: checks what this host needs to run sessions (engine, its helper programs, firewall, images,
/// database, disk) and prints one line per check with the fix. Exit 1 when a required check fails.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("doctor", "Check that this host can run sessions: one line per check, with the fix for each problem (exit 1 when a required check fails)");
        // The engine settings labctl serve takes pass through the same way (e.g. --Podman:SocketPath=…), so the doctor
        // checks the host as the server would use it.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            var settings = new ConfigurationBuilder().AddCommandLine([.. result.UnmatchedTokens]).Build();
            // Nothing is changed here: the database is looked at, not migrated.
            await using var services = context.CreateServices(result, s =>
            {
                s.Configure<PodmanEngineOptions>(settings.GetSection("Podman"));
                // A cluster is checked when one is configured: --Kubernetes:Kubeconfig=PATH, or the pod's service account.
                new LabOrchestratorBuilder(s).AddKubernetesChecks(o => settings.GetSection(KubernetesOptions.SectionName).Bind(o));
            });
            var report = await services.GetRequiredService<HostDoctor>().CheckAsync(cancellationToken);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(new { healthy = report.Healthy, checks = report.Checks });
            }
            else
            {
                await HostReportView.WriteAsync(output.Out, report.Checks);
                var failed = report.Failures.Count();
                await output.Out.WriteLineAsync(report.Healthy
                    ? "This host can run sessions."
                    : $"{Plural.Of(failed, "required check")} failed: sessions would fail here until fixed.");
            }

            return report.Healthy ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
