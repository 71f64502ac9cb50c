import { donors } from '../../db/schema';

/** A donor's own fields as the features select them (the profile, search, lists, exports). */
export const donorColumns = {
  id: donors.id,
  reference: donors.reference,
  firstName: donors.firstName,
  lastName: donors.lastName,
  phone: donors.phone,
  altPhone: donors.altPhone,
  email: donors.email,
  addressLine1: donors.addressLine1,
  addressLine2: donors.addressLine2,
  city: donors.city,
  postcode: donors.postcode,
  country: donors.country,
  timeZone: donors.timeZone,
  language: donors.language,
  doNotCall: donors.doNotCall,
  deceased: donors.deceased,
  suppressed: donors.suppressed,
  notes: donors.notes,
};
