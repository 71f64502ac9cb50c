import { PageHeader } from '../../../components/page-header';

// Being written (issue 4): this page is filled in by its feature.
export function CallsPage() {
  return <PageHeader title="Calls" />;
}
