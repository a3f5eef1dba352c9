import { render } from 'preact';
import { Dashboard } from './Dashboard';
import { messaging, t } from '../ui/messaging';

render(<Dashboard messaging={messaging} t={t} now={() => Date.now()} />, document.getElementById('app')!);
