-- set the flag
update t
   set flag = :'flag',
       owner = :owner;
