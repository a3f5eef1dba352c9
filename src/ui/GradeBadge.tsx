// The two figures of the surveillance score (docs/score.md), as the popup and
// the dashboard both show them.
import type { Figure } from '../shared/score';
import type { Translate } from './messaging';

export function GradeBadge({ figure, label, testid, t }: { figure: Figure; label: string; testid: string; t: Translate }) {
  return (
    <div class={`grade grade-${figure.grade}`} data-testid={testid} data-grade={figure.grade} data-score={figure.score}>
      <span class="letter" aria-hidden="true">{figure.grade}</span>
      <span class="figure">
        <span class="label">{label}</span>
        <span class="value">{t('gradeAndScore', [figure.grade, String(figure.score)])}</span>
      </span>
    </div>
  );
}
