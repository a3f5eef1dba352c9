// Administrator policy as the dashboard shows it. Owned by the policy work
// (issue 5); rendered by Dashboard.tsx.
export function PolicyPanel() {
  return null;
}
