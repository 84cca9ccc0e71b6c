using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LabOrchestrator.Persistence.Migrations
{
    /// <summary>
    /// api_tokens and audit_log left this context's model for the server's AccountsDbContext. The tables and their rows
    /// stay: the accounts context's first SQLite migration takes them over as they are (CREATE TABLE IF NOT EXISTS), so
    /// nothing is dropped here, and nothing is made again going down.
    /// </summary>
    public partial class PostgresAccountsMovedToServer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
