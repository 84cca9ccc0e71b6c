namespace LabOrchestrator.Server.Accounts;

/// <summary>Checks that required body fields are present, answering with all missing ones at once, keyed by field path.</summary>
internal static class RequiredFields
{
    public static IResult? Check(params ReadOnlySpan<(string Field, object? Value)> fields)
    {
        Dictionary<string, string[]>? errors = null;
        foreach (var (field, value) in fields)
        {
            if (value is null || (value is string text && text.Length == 0))
            {
                (errors ??= [])[field] = [$"'{field}' is required."];
            }
        }

        return errors is null
            ? null
            : TypedResults.ValidationProblem(errors, title: "Invalid request", detail: $"Missing field(s): {string.Join(", ", errors.Keys)}.");
    }
}
