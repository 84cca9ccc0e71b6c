namespace LabOrchestrator.Cli;

internal enum OutputFormat
{
    Table,
    Json,
}
