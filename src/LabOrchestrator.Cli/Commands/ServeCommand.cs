using System.CommandLine;
using LabOrchestrator.Server.Hosting;
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
        var command = new Command("serve", "Run the server: REST API under /api, API docs at /docs, terminal gateway") { urls };
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = new List<string>
            {
                $"--{ServerOptions.SectionName}:{nameof(ServerOptions.Urls)}={result.GetValue(urls)}",
                $"--LabOrchestrator:DatabasePath={Path.GetFullPath(result.GetValue(context.Options.Database)!)}",
            };
            if (result.GetValue(context.Options.PodmanSocket) is { } socket)
            {
                args.Add($"--Podman:SocketPath={socket}");
            }

            await using var app = await LabServer.BuildAsync(
                [.. args],
                // labctl reports a failed start itself, in one line; the host would log it again with a stack trace.
                builder => builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical),
                cancellationToken);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
            {
                throw new CliException(string.Join(" ", e.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures)));
            }

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
}
