/** Shared UI pieces. Every control has a visible label; errors are i18n keys passed through t(). */
export { Field, TextField, TextAreaField, SelectField, CheckboxField, CheckboxGroup } from './Field';
export type { Option, FieldChrome, TextFieldProps, SelectFieldProps, TextAreaFieldProps, CheckboxGroupProps } from './Field';
export { ErrorBanner, FormError, StatusMessage } from './ErrorBanner';
export { Button } from './Button';
export { FileButton } from './FileButton';
export { DateField } from './DateField';
export { TimeField } from './TimeField';
export { Dialog, ConfirmDialog } from './Dialog';
export { Tabs, TabPanel } from './Tabs';
export type { TabItem } from './Tabs';
export { MultiSelect } from './MultiSelect';
export { StatusBadge, SeverityBadge, PriorityBadge, TierBadge, statusBadge, severityBadge, priorityBadge } from './Badges';
export { Highlighted, splitHighlight, focusHighlight } from './Highlight';
export { Loading, EmptyState, PageHeader } from './Misc';
export { JobProgress } from './JobProgress';
export { PrintableDocument } from './Printable';
export { formatDateTime, formatRelative, formatBytes } from '../app/format';
