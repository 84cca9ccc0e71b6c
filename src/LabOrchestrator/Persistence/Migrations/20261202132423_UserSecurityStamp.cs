using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LabOrchestrator.Persistence.Migrations
{
    /// <summary>
    /// User ids become unique whatever their case, and every user gets a random security stamp. Ids that differ only in
    /// case ("admin" and "ADMIN") may exist already: the one made first keeps its id, each later one is renamed to
    /// "{id}-duplicate-{row}" (with its sessions and API tokens), disabled and its tokens revoked, for an admin to sort out.
    /// </summary>
    public partial class UserSecurityStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Each statement leaves every foreign key valid: copy under the new id, move the children, then delete the old row.
            migrationBuilder.Sql("""
                CREATE TEMP TABLE user_id_duplicates AS
                    SELECT u.rowid AS rid, u.Id AS old_id, u.Id || '-duplicate-' || u.rowid AS new_id
                    FROM users u
                    WHERE EXISTS (SELECT 1 FROM users f WHERE lower(f.Id) = lower(u.Id) AND f.rowid < u.rowid);
                INSERT INTO users (Id, DisplayName, CreatedAt, Role, PasswordHash, Disabled, UpdatedAt)
                    SELECT d.new_id, u.DisplayName, u.CreatedAt, u.Role, u.PasswordHash, 1, u.UpdatedAt
                    FROM users u JOIN user_id_duplicates d ON u.rowid = d.rid;
                UPDATE sessions SET UserId = (SELECT d.new_id FROM user_id_duplicates d WHERE d.old_id = sessions.UserId)
                    WHERE UserId IN (SELECT old_id FROM user_id_duplicates);
                UPDATE api_tokens SET
                    UserId = (SELECT d.new_id FROM user_id_duplicates d WHERE d.old_id = api_tokens.UserId),
                    RevokedAt = coalesce(RevokedAt, strftime('%Y-%m-%d %H:%M:%S', 'now') || '+00:00')
                    WHERE UserId IN (SELECT old_id FROM user_id_duplicates);
                DELETE FROM users WHERE rowid IN (SELECT rid FROM user_id_duplicates);
                DROP TABLE user_id_duplicates;
                """);

            migrationBuilder.AlterColumn<string>(
                name: "Id",
                table: "users",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                collation: "NOCASE",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200);

            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "users",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            // Random per row, so that no two users (nor a user made again under the same id) share a stamp.
            migrationBuilder.Sql("UPDATE users SET SecurityStamp = lower(hex(randomblob(16)));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "users");

            migrationBuilder.AlterColumn<string>(
                name: "Id",
                table: "users",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200,
                oldCollation: "NOCASE");
        }
    }
}
