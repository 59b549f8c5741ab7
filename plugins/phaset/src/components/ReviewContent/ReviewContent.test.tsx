import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { entity, health, RECORD_ID } from '../../__testUtils__/fixtures';
import { BASE, renderForEntity, server } from '../../__testUtils__/render';
import { ReviewContent } from './ReviewContent';

registerMswTestHooks(server);

const template = {
  questions: [
    { id: 'arch-boundaries', area: 'Architecture', text: 'Clear boundaries?' },
    { id: 'dev-tests', area: 'Development', text: 'Tested?' },
    { id: 'ops-runbook', area: 'Operations', text: 'A runbook?' },
  ],
  answers: ['yes', 'partly', 'no', 'na'],
  reviewMaxAgeDays: 180,
  grades: { A: 90, B: 80, C: 70, D: 60, E: 50 },
};

const earlier = {
  id: '1',
  recordId: RECORD_ID,
  author: 'user:default/alice',
  answers: [
    { questionId: 'arch-boundaries', value: 'yes' },
    { questionId: 'dev-tests', value: 'partly', prioritised: true },
    { questionId: 'ops-runbook', value: 'no' },
  ],
  score: 50,
  createdAt: '2026-06-01T10:00:00.000Z',
};

describe('ReviewContent', () => {
  it('starts from the latest answers, saves a new Review and shows it in the history', async () => {
    const reviews: object[] = [earlier];
    const posted: any[] = [];
    server.use(
      http.get(`${BASE}/reviews/template`, () => HttpResponse.json(template)),
      http.get(`${BASE}/records/:id/health`, () => HttpResponse.json(health)),
      http.get(`${BASE}/records/:id/reviews`, () =>
        HttpResponse.json({ items: reviews }),
      ),
      http.post(`${BASE}/records/:id/reviews`, async ({ request }) => {
        const body: any = await request.json();
        posted.push(body);
        const review = {
          ...earlier,
          id: '2',
          answers: body.answers,
          score: 100,
          createdAt: '2026-12-01T10:00:00.000Z',
        };
        reviews.unshift(review);
        return HttpResponse.json(review, { status: 201 });
      }),
    );
    renderForEntity(<ReviewContent />, { entity });

    expect(await screen.findByTestId('review-health')).toHaveTextContent(
      'Health Score 61 / 100',
    );
    expect(screen.getByLabelText('Grade D')).toBeInTheDocument();
    const history = screen.getByRole('table', { name: 'Reviews' });
    expect(within(history).getAllByRole('row')).toHaveLength(2);
    expect(history).toHaveTextContent('50 / 100');

    // Every question starts answered as last time: saving is possible.
    const save = screen.getByRole('button', { name: 'Save the Review' });
    expect(save).toBeEnabled();
    const runbook = screen.getByTestId('review-question-ops-runbook');
    fireEvent.click(within(runbook).getByLabelText('Yes'));
    fireEvent.click(within(runbook).getByLabelText('Prioritised'));
    fireEvent.click(save);

    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0].answers).toEqual([
      { questionId: 'arch-boundaries', value: 'yes' },
      { questionId: 'dev-tests', value: 'partly', prioritised: true },
      { questionId: 'ops-runbook', value: 'yes', prioritised: true },
    ]);
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Reviews' })).getAllByRole(
          'row',
        ),
      ).toHaveLength(3),
    );
  });

  it('asks for every answer before saving the first Review', async () => {
    server.use(
      http.get(`${BASE}/reviews/template`, () => HttpResponse.json(template)),
      http.get(`${BASE}/records/:id/health`, () => HttpResponse.json(health)),
      http.get(`${BASE}/records/:id/reviews`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    renderForEntity(<ReviewContent />, { entity });
    expect(
      await screen.findByText(
        'No Review yet: the Review part of the Health Score counts 0.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Save the Review' }),
    ).toBeDisabled();
    expect(screen.getByText(/3 of 3 questions left/)).toBeInTheDocument();
  });
});
