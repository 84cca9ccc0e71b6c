using System.CommandLine;
using LabOrchestrator.Labs;
using LabOrchestrator.Pools;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

/// <summary>
/// <c>labctl lab pool NAME [--size N | --clear]</c>: shows a lab's warm pool, or sets the administrator's size that
/// overrides the lab file's <c>pool.size</c>. A server on the same database applies it at its next refill.
/// </summary>
internal static class LabPoolCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The lab's name" };
        var size = new Option<int?>("--size") { Description = $"Keep N sessions started in advance (0 to {PoolDefinition.MaxSize}); overrides the lab file", HelpName = "N" };
        var clear = new Option<bool>("--clear") { Description = "Drop the override: the lab file's pool.size counts again" };
        var command = new Command("pool", "Show a lab's warm pool, or set its size") { name, size, clear };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            var labName = result.GetValue(name)!;
            var newSize = result.GetValue(size);
            var clearing = result.GetValue(clear);
            if (newSize is not null && clearing)
            {
                throw new CliException("Give either --size N or --clear, not both.", ExitCodes.Usage);
            }

            if (newSize is < 0 or > PoolDefinition.MaxSize)
            {
                throw new CliException($"--size must be a whole number from 0 to {PoolDefinition.MaxSize}, not {newSize}.", ExitCodes.Usage);
            }

            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var lab = await services.GetRequiredService<ILabCatalog>().GetAsync(labName, cancellationToken) ?? throw new LabNotFoundException(labName);
            var settings = services.GetRequiredService<PoolSettings>();
            if (newSize > 0 && PoolEligibility.WhyNot(lab.Definition) is { } why)
            {
                throw new CliException($"Lab '{labName}' cannot keep a warm pool: {why} ({PoolEligibility.Hint}).");
            }

            if (newSize is not null || clearing)
            {
                await settings.SetAsync(lab.Name, newSize, cancellationToken);
            }

            var overrides = await settings.OverridesAsync(cancellationToken);
            int? overrideSize = overrides.TryGetValue(lab.Name, out var o) ? o : null;
            var pooled = (await services.GetRequiredService<ISessionService>()
                    .ListAsync(new SessionQuery { UserId = PoolOwner.UserId, LabName = lab.Name, ActiveOnly = true }, cancellationToken))
                .Where(s => s.Pooled).ToList();
            var ready = pooled.Count(s => s.State == SessionState.Running);
            var starting = pooled.Count(s => s.State is SessionState.Pending or SessionState.Starting);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(new { lab = lab.Name, labFileSize = lab.Definition.Pool?.Size, overrideSize, ready, starting, published = lab.Published });
            }
            else
            {
                var effective = overrideSize ?? lab.Definition.Pool?.Size ?? 0;
                var from = overrideSize is null ? "lab file" : "administrator's setting";
                var note = lab.Published ? "" : " (the lab is unpublished: its pool is kept empty)";
                await output.Out.WriteLineAsync($"Lab '{lab.Name}': pool size {effective} ({from}){note}; {ready} ready, {starting} starting.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
