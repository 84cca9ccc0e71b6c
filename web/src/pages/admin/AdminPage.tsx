import type { AdminPageName } from "../../lib/router";
import { AllSessionsPage } from "./AllSessionsPage";
import { AuditPage } from "./AuditPage";
import { LabsAdminPage } from "./LabsAdminPage";
import { UsersAdminPage } from "./UsersAdminPage";
import "./admin.css";

/** The pages for instructors and admins, loaded on demand; App checks the role before it gets here. */
export default function AdminPage({ page }: { page: AdminPageName }) {
  switch (page) {
    case "labs":
      return <LabsAdminPage />;
    case "users":
      return <UsersAdminPage />;
    case "sessions":
      return <AllSessionsPage />;
    case "audit":
      return <AuditPage />;
  }
}
