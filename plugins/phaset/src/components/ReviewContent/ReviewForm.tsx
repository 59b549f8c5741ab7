import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { REVIEW_AREAS } from '@internal/backstage-plugin-phaset-common';
import { useState } from 'react';
import type { Review, ReviewAnswer, ReviewTemplate } from '../../api';

const ANSWER_LABEL: Record<ReviewAnswer['value'], string> = {
  yes: 'Yes',
  partly: 'Partly',
  no: 'No',
  na: 'N/A',
};

const useStyles = makeStyles(theme => ({
  question: {
    padding: theme.spacing(1.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
}));

/**
 * One answer per question of the template, grouped by area, starting from
 * the latest Review's answers so that a new Review only changes what changed.
 */
export function ReviewForm(props: {
  template: ReviewTemplate;
  latest?: Review;
  onSubmit: (answers: ReviewAnswer[]) => Promise<void>;
}) {
  const { template, latest, onSubmit } = props;
  const classes = useStyles();
  const previous = new Map(latest?.answers.map(a => [a.questionId, a]));
  const [answers, setAnswers] = useState<Record<string, ReviewAnswer>>(() =>
    Object.fromEntries(
      template.questions.flatMap(q =>
        previous.has(q.id) ? [[q.id, previous.get(q.id)!]] : [],
      ),
    ),
  );
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const set = (questionId: string, change: Partial<ReviewAnswer>) =>
    setAnswers(current => {
      const base: ReviewAnswer = current[questionId] ?? {
        questionId,
        value: 'na',
      };
      return { ...current, [questionId]: { ...base, ...change, questionId } };
    });
  const unanswered = template.questions.filter(q => !answers[q.id]).length;
  const submit = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await onSubmit(template.questions.map(q => answers[q.id]));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      {REVIEW_AREAS.map(area => (
        <Box mb={3} key={area}>
          <InfoCard title={area}>
            {template.questions
              .filter(q => q.area === area)
              .map(question => {
                const answer = answers[question.id];
                return (
                  <div
                    className={classes.question}
                    key={question.id}
                    data-testid={`review-question-${question.id}`}
                  >
                    <Typography variant="body1" id={`q-${question.id}`}>
                      {question.text}
                    </Typography>
                    <div className={classes.controls}>
                      <RadioGroup
                        row
                        aria-labelledby={`q-${question.id}`}
                        value={answer?.value ?? ''}
                        onChange={e =>
                          set(question.id, {
                            value: e.target.value as ReviewAnswer['value'],
                          })
                        }
                      >
                        {template.answers.map(value => (
                          <FormControlLabel
                            key={value}
                            value={value}
                            control={<Radio size="small" color="primary" />}
                            label={ANSWER_LABEL[value]}
                          />
                        ))}
                      </RadioGroup>
                      <FormControlLabel
                        control={
                          <Checkbox
                            size="small"
                            checked={answer?.prioritised ?? false}
                            disabled={!answer}
                            onChange={e =>
                              set(question.id, {
                                prioritised: e.target.checked,
                              })
                            }
                          />
                        }
                        label="Prioritised"
                      />
                      <TextField
                        size="small"
                        label="Comment"
                        disabled={!answer}
                        value={answer?.comment ?? ''}
                        inputProps={{ maxLength: 2000 }}
                        onChange={e =>
                          set(question.id, {
                            comment: e.target.value || undefined,
                          })
                        }
                        style={{ minWidth: 260, flex: 1 }}
                      />
                    </div>
                  </div>
                );
              })}
          </InfoCard>
        </Box>
      ))}
      <Box display="flex" alignItems="center" style={{ gap: 16 }}>
        <Button
          variant="contained"
          color="primary"
          disabled={unanswered > 0 || saving}
          onClick={submit}
        >
          Save the Review
        </Button>
        <Typography variant="body2" color="textSecondary">
          {unanswered > 0
            ? `${unanswered} of ${template.questions.length} questions left (answer N/A where one does not apply)`
            : 'Every question is answered.'}
        </Typography>
      </Box>
      {error && (
        <Typography color="error" variant="body2" role="alert">
          {error}
        </Typography>
      )}
    </>
  );
}
