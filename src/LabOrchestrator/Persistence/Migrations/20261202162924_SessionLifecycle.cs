using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LabOrchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SessionLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Extensions",
                table: "sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastActivityAt",
                table: "sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PausedAt",
                table: "sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StopReason",
                table: "sessions",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StoppedBy",
                table: "sessions",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Extensions",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "LastActivityAt",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "PausedAt",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "StopReason",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "StoppedBy",
                table: "sessions");
        }
    }
}
