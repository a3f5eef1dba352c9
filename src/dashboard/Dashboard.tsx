import { useEffect, useState } from 'preact/hooks';
import type { Messaging } from '../ui/messaging';
import type { TallyDb } from '../background/tally';

export interface DashboardProps {
  messaging: Messaging;
  t: (key: string) => string;
}

export function Dashboard({ messaging, t }: DashboardProps) {
  const [db, setDb] = useState<TallyDb | null>(null);
  useEffect(() => {
    messaging.send({ type: 'ui/all' }).then(setDb, (e: unknown) => console.warn(e));
  }, []);
  return (
    <main>
      <h1>{t('dashboardTitle')}</h1>
      <h2>{t('sites')}</h2>
      <ul data-testid="sites">
        {Object.keys(db?.sites ?? {}).sort().map((s) => <li key={s}>{s}</li>)}
      </ul>
      {/* Automation reads the full tallies from here (docs: README, "For researchers"). */}
      <script type="application/json" id="tallies">{JSON.stringify(db)}</script>
    </main>
  );
}
