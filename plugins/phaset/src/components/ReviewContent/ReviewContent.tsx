import { Content, ContentHeader } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { phasetReviewCreatePermission } from '@internal/backstage-plugin-phaset-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef, Review } from '../../api';
import { usePhasetPermission } from '../../permissions/usePhasetPermission';
import {
  AsyncContent,
  formatDateTime,
  GradeChip,
  NoRecordState,
  SimpleTable,
  usePhasetRecordId,
} from '../ui';
import { ReviewForm } from './ReviewForm';

const score = (review: Review) =>
  review.score === null ? 'n/a' : `${Math.round(review.score)} / 100`;

/** The Review tab: the Record's Health Score, a new Review and the history. */
export function ReviewContent() {
  const recordId = usePhasetRecordId();
  const api = useApi(phasetApiRef);
  const create = usePhasetPermission(phasetReviewCreatePermission, recordId);
  const [saved, setSaved] = useState(0);
  const state = useAsync(async () => {
    if (!recordId) return undefined;
    const [template, reviews, health] = await Promise.all([
      api.getReviewTemplate(),
      api.listReviews(recordId),
      api.getHealth(recordId),
    ]);
    return { template, reviews, health };
  }, [api, recordId, saved]);

  if (!recordId) return <NoRecordState />;
  return (
    <Content noPadding>
      <ContentHeader title="Review" />
      <AsyncContent recordId={recordId} {...state}>
        {({ template, reviews, health }) => (
          <Grid container spacing={3} direction="column">
            <Grid item>
              <Box display="flex" alignItems="center" style={{ gap: 12 }}>
                <GradeChip grade={health.grade} large />
                <Typography variant="body1" data-testid="review-health">
                  Health Score {Math.round(health.score)} / 100: the mean of
                  Standards, completeness and the latest Review (a Review older
                  than {template.reviewMaxAgeDays} days counts half).
                </Typography>
              </Box>
            </Grid>
            <Grid item>
              <SimpleTable
                title="Reviews"
                columns={[
                  { title: 'Date', render: r => formatDateTime(r.createdAt) },
                  {
                    title: 'Author',
                    render: r => <EntityRefLink entityRef={r.author} />,
                  },
                  { title: 'Score', render: score },
                  {
                    title: 'Prioritised',
                    render: r =>
                      String(r.answers.filter(a => a.prioritised).length),
                  },
                ]}
                rows={reviews}
                rowKey={r => r.id}
                empty="No Review yet: the Review part of the Health Score counts 0."
              />
            </Grid>
            <Grid item>
              <Typography variant="h6" component="h2" gutterBottom>
                New Review
              </Typography>
              {create.allowed ? (
                <ReviewForm
                  template={template}
                  latest={reviews[0]}
                  onSubmit={async answers => {
                    await api.createReview(recordId, answers);
                    setSaved(n => n + 1);
                  }}
                />
              ) : (
                <Typography variant="body2" color="textSecondary">
                  {create.loading
                    ? 'Checking whether you may review this Record…'
                    : 'Only the owners of this entity (and Phaset admins) may fill in its Review.'}
                </Typography>
              )}
            </Grid>
          </Grid>
        )}
      </AsyncContent>
    </Content>
  );
}
