import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { IntegrationsContent } from './IntegrationsContent';
import { OverviewContent } from './OverviewContent';

/**
 * The Phaset page for apps on the legacy frontend system; the new frontend
 * system builds the same tabs from the page and sub-page extensions.
 */
export function PhasetPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Phaset"
        subtitle="Delivery performance and integrations of every Record"
      />
      <TabbedLayout>
        <TabbedLayout.Route path="/" title="Overview">
          <OverviewContent />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/integrations" title="Integrations">
          <IntegrationsContent />
        </TabbedLayout.Route>
      </TabbedLayout>
    </Page>
  );
}
