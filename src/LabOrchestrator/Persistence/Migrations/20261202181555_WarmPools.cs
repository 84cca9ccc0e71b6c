using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LabOrchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WarmPools : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClaimedAt",
                table: "sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Pooled",
                table: "sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "PoolSize",
                table: "labs",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClaimedAt",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "Pooled",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "PoolSize",
                table: "labs");
        }
    }
}
