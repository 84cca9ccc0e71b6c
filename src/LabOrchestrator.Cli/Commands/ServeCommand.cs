using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Cli.Commands;

/// <summary><c>labctl serve</c>: runs the server (REST API, gateway, API docs) until Ctrl-C.</summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static Command Create(CliContext context)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where the server listens (semicolon-separated URLs); keep it on loopback unless a proxy fronts it",
            HelpName = "URLS",
            DefaultValueFactory = _ => DefaultUrls,
        };
        var skipChecks = new Option<bool>("--skip-host-checks")
        {
            Description = "Serve even when labctl doctor's required checks fail (sessions will fail until the host is fixed)",
        };
        var command = new Command("serve", "Run the server: REST API under /api, API docs at /docs, terminal gateway") { urls, skipChecks };
        // Any other server setting passes through as --Section:Key=value (e.g. --Quotas:PerUser=3).
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = new List<string>
            {
                $"--{ServerOptions.SectionName}:{nameof(ServerOptions.Urls)}={result.GetValue(urls)}",
                $"--LabOrchestrator:DatabasePath={Path.GetFullPath(result.GetValue(context.Options.Database)!)}",
                $"--{ServerOptions.SectionName}:{nameof(ServerOptions.CheckHost)}={!result.GetValue(skipChecks)}",
            };
            if (result.GetValue(context.Options.PodmanSocket) is { } socket)
            {
                args.Add($"--Podman:SocketPath={socket}");
            }

            args.AddRange(result.UnmatchedTokens);
            WebApplication app;
            try
            {
                app = await LabServer.BuildAsync(
                    [.. args],
                    builder => builder.Logging
                        // labctl reports a failed start itself, in one line; the host would log it again with a stack trace.
                        .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical),
                    cancellationToken);
                await app.StartAsync(cancellationToken);
            }
            catch (Exception e) when (ValidationFailures(e) is { Count: > 0 } failures)
            {
                throw new CliException(string.Join(" ", failures));
            }
            catch (HostNotReadyException e)
            {
                await context.Console.Error.WriteLineAsync("error: this host cannot run sessions; not serving. What failed, and the fix:");
                await HostReportView.WriteAsync(context.Console.Error, e.Report.Failures);
                await context.Console.Error.WriteLineAsync("Run 'labctl doctor' for every check, or serve anyway with --skip-host-checks.");
                return ExitCodes.Failure;
            }

            await using var running = app;
            await context.Console.Out.WriteLineAsync($"Serving on {string.Join(", ", app.Urls)} (API docs at /docs). Press Ctrl-C to stop.");
            await context.Console.Out.FlushAsync(cancellationToken);
            try
            {
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C: stop cleanly below.
            }

            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<string> ValidationFailures(Exception e) => e switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException many when many.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. many.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures)],
        _ => [],
    };
}
