namespace LabOrchestrator.Server.Labs;

/// <summary>Answers a <see cref="RequestProblemException"/> with its problem details instead of a 500.</summary>
internal sealed class RequestProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RequestProblemException problem)
        {
            return TypedResults.Problem(problem.ToProblem());
        }
    }
}
