import { Badge, Group } from '@mantine/core';

/** Flags of a donor as small badges (do not call, deceased, suppressed). */
export function DonorFlags({ d }: { d: { doNotCall: boolean; deceased: boolean; suppressed: boolean } }) {
  return (
    <Group gap={4}>
      {d.doNotCall && (
        <Badge color="red" size="sm">
          Do not call
        </Badge>
      )}
      {d.deceased && (
        <Badge color="dark" size="sm">
          Deceased
        </Badge>
      )}
      {d.suppressed && (
        <Badge color="gray" size="sm">
          Suppressed
        </Badge>
      )}
    </Group>
  );
}
