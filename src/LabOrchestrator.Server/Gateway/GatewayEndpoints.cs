namespace LabOrchestrator.Server.Gateway;

/// <summary>The gateway: WebSocket terminals of nodes under <c>/gateway</c>, and the access tokens that open them.</summary>
internal static class GatewayEndpoints
{
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName)
            .Validate(o => o.AccessTokenKeys.All(k => !string.IsNullOrWhiteSpace(k.Id)), "Every Gateway:AccessTokenKeys entry needs an Id.")
            .Validate(o => o.AccessTokenKeys.Select(k => k.Id).Distinct().Count() == o.AccessTokenKeys.Count, "Gateway:AccessTokenKeys ids must be unique.")
            .Validate(o => o.AccessTokenKeys.All(k => SecretLength(k.Secret) >= 32), "Every Gateway:AccessTokenKeys Secret must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).")
            .Validate(o => o.SessionCheckInterval > TimeSpan.Zero && o.SessionCheckInterval <= TimeSpan.FromSeconds(1), "Gateway:SessionCheckInterval must be positive and at most 00:00:01 (stopped sessions close their connections within 2 seconds).")
            .ValidateOnStart();
        services.AddSingleton<AccessTokenService>();
        services.AddSingleton<GatewayConnections>();
        services.AddSingleton<Accounts.ISignInRevocationListener>(sp => sp.GetRequiredService<GatewayConnections>());
        services.AddSingleton<TerminalHub>();
        services.AddHostedService<SessionWatchdog>();
        services.AddHttpForwarder();
        services.AddSingleton<WebPortClient>();
        services.AddSingleton<WebPortRoutes>();
        services.AddSingleton<WebPortTokenExchanges>();

        // Hosting's request log lines print the query string, and gateway URLs carry access tokens there.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        _ = configuration;
        return services;
    }

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        // Consoles are long-lived: close them as soon as the server starts to stop (1001), rather than after the
        // graceful-shutdown wait for requests in flight.
        var lifetime = app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>();
        var connections = app.ServiceProvider.GetRequiredService<GatewayConnections>();
        lifetime.ApplicationStopping.Register(() => connections.CloseAll(GatewayClose.ServerStopping));

        app.MapPost("/api/sessions/{id}/access", AccessTokenEndpoint.HandleAsync)
            .RequireAuthorization(Accounts.Policies.User)
            .WithName("CreateAccessToken")
            .WithTags("Sessions")
            .WithSummary("Issue a short-lived access token for a session's gateway URLs (for iframes and other sites).")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/gateway/sessions/{id}/nodes/{node}/terminal", TerminalEndpoint.HandleAsync)
            .WithName("OpenTerminal")
            .WithTags("Gateway")
            .WithSummary("Upgrade to a WebSocket bridged to the node's terminal; see docs/gateway.md.")
            .ExcludeFromDescription();
        app.MapGet("/gateway/sessions/{id}/nodes/{node}/desktop", DesktopEndpoint.HandleAsync)
            .WithName("OpenDesktop")
            .ExcludeFromDescription();
        // Web ports are served on their own origins (the web-ports listener's branch in LabServer); the main origin only
        // redirects the path-based URLs of earlier versions there.
        app.Map(WebPortEndpoint.LegacyPattern, WebPortEndpoint.RedirectLegacy).WithName("OpenWebPort").ExcludeFromDescription();
        return app;
    }

    private static int SecretLength(string secret)
    {
        var buffer = new byte[Math.Max(secret.Length, 1)];
        return Convert.TryFromBase64String(secret, buffer, out var written) ? written : 0;
    }
}
