import { Component, type ReactNode } from "react";
import { ErrorBanner } from "./ui";

interface State {
  error: Error | null;
}

/**
 * Catches what a page throws while rendering — above all a lazily loaded part of the app that can no longer be fetched
 * (the server was updated, or the network dropped) — and shows a readable message instead of a blank page.
 */
export class PageBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunk = /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(error.message);
    return (
      <div className="page narrow">
        <ErrorBanner
          title="This page could not be opened"
          message={chunk ? "Part of the app could not be loaded; it may have been updated on the server. Reloading the page fixes this." : "Something went wrong while showing this page. Reloading the page usually helps."}
          onRetry={() => window.location.reload()}
        />
      </div>
    );
  }
}
