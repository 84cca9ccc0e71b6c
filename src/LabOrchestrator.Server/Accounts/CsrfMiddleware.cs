using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// Requires a valid <c>X-CSRF-Token</c> header on every state-changing /api request authenticated by the login cookie,
/// whichever endpoint serves it. Bearer-token requests carry no ambient credential, so they need none; nor does login.
/// </summary>
internal sealed class CsrfMiddleware(RequestDelegate next, IAntiforgery antiforgery, IProblemDetailsService problems)
{
    public const string HeaderName = "X-CSRF-Token";
    public const string LoginPath = "/api/auth/login";

    public async Task InvokeAsync(HttpContext context)
    {
        if (NeedsToken(context) && !await antiforgery.IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Anti-forgery token missing or wrong",
                    Detail = $"A {context.Request.Method} made with the login cookie needs the header {HeaderName} with the token "
                        + $"from POST {LoginPath} or GET /api/auth/csrf (scripts can use an API token with 'Authorization: Bearer' instead).",
                },
            });
            return;
        }

        await next(context);
    }

    private static bool NeedsToken(HttpContext context)
    {
        var request = context.Request;
        return !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
            && request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && !request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase)
            && context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme };
    }
}
