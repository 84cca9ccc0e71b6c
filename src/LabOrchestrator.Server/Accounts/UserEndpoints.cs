using LabOrchestrator.Server.Audit;

namespace LabOrchestrator.Server.Accounts;

/// <summary>User management for admins: /api/users.</summary>
internal static class UserEndpoints
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("users").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        users.MapGet("/", ListAsync)
            .WithName("listUsers").WithSummary("All users, by id.")
            .Produces<IReadOnlyList<AccountUser>>();
        users.MapPost("/", CreateAsync)
            .WithName("createUser").WithSummary("Creates a user with a password and a role (admin, instructor or learner; default learner).")
            .Accepts<CreateUserRequest>("application/json")
            .Produces<AccountUser>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        users.MapGet("/{id}", GetAsync)
            .WithName("getUser").WithSummary("One user.")
            .Produces<AccountUser>().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPatch("/{id}", UpdateAsync)
            .WithName("updateUser").WithSummary("Changes a user's display name, role or disabled flag. Disabling ends the user's cookies and access tokens, revokes their API tokens and closes their gateway connections at once; lowering the role ends their cookies and access tokens.")
            .Accepts<UpdateUserRequest>("application/json")
            .Produces<AccountUser>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("/{id}/password", ResetPasswordAsync)
            .WithName("resetUserPassword").WithSummary("Sets a new password for a user; ends their cookies and access tokens, revokes their API tokens and closes their gateway connections at once.")
            .Accepts<ResetPasswordRequest>("application/json")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapDelete("/{id}", DeleteAsync)
            .WithName("deleteUser").WithSummary("Deletes a user with their tokens and stopped sessions, closing their gateway connections; refused for yourself and while they have sessions that are not stopped. A user made again under the same id never inherits the old one's cookies or tokens.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ListAsync(IAccountService accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListUsersAsync(cancellationToken));

    private static async Task<IResult> CreateAsync(HttpContext context, IAccountService accounts, IAuditLog audit, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateUserRequest>(context.Request, cancellationToken);
        if (RequiredFields.Check(("id", body.Id), ("password", body.Password)) is { } missing)
        {
            return missing;
        }

        var user = await accounts.CreateUserAsync(body.Id!, body.DisplayName, body.Password!, body.Role ?? Roles.Learner, cancellationToken);
        await audit.RecordAsync(context, AuditActions.UserCreated, target: user.Id, details: $"role={user.Role}", cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/users/{user.Id}", user);
    }

    private static async Task<IResult> GetAsync(string id, IAccountService accounts, CancellationToken cancellationToken) =>
        await accounts.GetUserAsync(id, cancellationToken) is { } user ? TypedResults.Ok(user) : NotFound(id);

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IAccountService accounts, IAuditLog audit, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<UpdateUserRequest>(context.Request, cancellationToken);
        if (string.Equals(id, context.User.GetUserId(), StringComparison.OrdinalIgnoreCase) && (body.Disabled == true || (body.Role is not null && body.Role != Roles.Admin)))
        {
            // Keeps at least one enabled admin: the one asking.
            throw new AccountException("You cannot disable yourself or take away your own admin role; ask another admin.", body.Disabled == true ? "disabled" : "role", StatusCodes.Status409Conflict);
        }

        if (await accounts.GetUserAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var user = await accounts.UpdateUserAsync(id, new UserUpdate { DisplayName = body.DisplayName, Role = body.Role, Disabled = body.Disabled }, cancellationToken);
        await audit.RecordAsync(context, AuditActions.UserUpdated, target: user.Id, details: $"role={user.Role} disabled={user.Disabled}", cancellationToken: cancellationToken);
        return TypedResults.Ok(user);
    }

    private static async Task<IResult> ResetPasswordAsync(string id, HttpContext context, IAccountService accounts, IAuditLog audit, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ResetPasswordRequest>(context.Request, cancellationToken);
        if (RequiredFields.Check(("password", body.Password)) is { } missing)
        {
            return missing;
        }

        if (await accounts.GetUserAsync(id, cancellationToken) is not { } user)
        {
            return NotFound(id);
        }

        await accounts.SetPasswordAsync(user.Id, body.Password!, cancellationToken: cancellationToken);
        await audit.RecordAsync(context, AuditActions.PasswordReset, target: user.Id, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IAccountService accounts, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (string.Equals(id, context.User.GetUserId(), StringComparison.OrdinalIgnoreCase))
        {
            throw new AccountException("You cannot delete yourself; ask another admin.", statusCode: StatusCodes.Status409Conflict);
        }

        if (await accounts.GetUserAsync(id, cancellationToken) is not { } user)
        {
            return NotFound(id);
        }

        await accounts.DeleteUserAsync(user.Id, cancellationToken);
        await audit.RecordAsync(context, AuditActions.UserDeleted, target: user.Id, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static IResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no user '{id}'; GET /api/users lists them.");
}
