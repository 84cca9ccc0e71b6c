using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LabOrchestrator.Server.Accounts.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PostgresAccountsInitial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A database made before this context existed already has these tables, made by the library's migrations
            // (AccountsAndAudit): they are taken over as they are, rows and all. A new database gets them here.
            migrationBuilder.Sql("""
                CREATE TABLE IF NOT EXISTS "api_tokens" (
                    "Id" TEXT NOT NULL CONSTRAINT "PK_api_tokens" PRIMARY KEY,
                    "UserId" TEXT NOT NULL,
                    "Name" TEXT NOT NULL,
                    "SecretHash" TEXT NOT NULL,
                    "CreatedAt" TEXT NOT NULL,
                    "ExpiresAt" TEXT NULL,
                    "LastUsedAt" TEXT NULL,
                    "RevokedAt" TEXT NULL,
                    CONSTRAINT "FK_api_tokens_users_UserId" FOREIGN KEY ("UserId") REFERENCES "users" ("Id") ON DELETE CASCADE
                );
                """);
            migrationBuilder.Sql("""
                CREATE TABLE IF NOT EXISTS "audit_log" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_audit_log" PRIMARY KEY AUTOINCREMENT,
                    "At" TEXT NOT NULL,
                    "UserId" TEXT NULL,
                    "Action" TEXT NOT NULL,
                    "SessionId" TEXT NULL,
                    "Target" TEXT NULL,
                    "RemoteAddress" TEXT NULL,
                    "Details" TEXT NULL
                );
                """);
            migrationBuilder.Sql("""CREATE UNIQUE INDEX IF NOT EXISTS "IX_api_tokens_SecretHash" ON "api_tokens" ("SecretHash");""");
            migrationBuilder.Sql("""CREATE INDEX IF NOT EXISTS "IX_api_tokens_UserId" ON "api_tokens" ("UserId");""");
            migrationBuilder.Sql("""CREATE INDEX IF NOT EXISTS "IX_audit_log_At" ON "audit_log" ("At");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "audit_log");
        }
    }
}
