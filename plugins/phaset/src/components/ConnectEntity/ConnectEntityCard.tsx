import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { phasetRecordCreatePermission } from '@internal/backstage-plugin-phaset-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { usePhasetPermission } from '../../permissions/usePhasetPermission';
import { ConnectEntityDialog } from './ConnectEntityDialog';

/**
 * On an entity without a Phaset Record: offers to connect it, to users who may
 * create Records (others see nothing).
 */
export function ConnectEntityCard() {
  const { entity } = useEntity();
  const create = usePhasetPermission(phasetRecordCreatePermission);
  const [open, setOpen] = useState(false);
  if (!create.allowed) {
    return null;
  }
  const entityRef = stringifyEntityRef(entity);
  return (
    <InfoCard title="Phaset">
      <Typography variant="body2" paragraph>
        This component is not connected to Phaset. Connect it to see its Record,
        Standards results and DORA metrics here, sent by CI and by the webhooks
        of GitHub, GitLab, Jira and other tools.
      </Typography>
      <Button color="primary" variant="contained" onClick={() => setOpen(true)}>
        Connect to Phaset
      </Button>
      <ConnectEntityDialog
        entityRef={entityRef}
        open={open}
        onClose={() => setOpen(false)}
      />
    </InfoCard>
  );
}
